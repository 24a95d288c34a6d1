package io.fleetcast.gateway.deploy;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A machine found by discovery: its name (BIOS/NetBIOS or DNS name), its address when known,
 * and where it came from ({@code csv}, {@code ldap} or {@code list}).
 */
public record DiscoveredHost(String name, String ip, String source) {
  public static final int MAX_NAME = 255;

  public DiscoveredHost {
    name = name == null ? "" : name.trim();
    ip = ip == null || ip.isBlank() ? null : ip.trim();
  }

  /** What the installer connects to: the address when known, else the name. */
  public String address() {
    return ip != null ? ip : name;
  }

  /** Key for de-duplication within a job (names are case-insensitive, as in DNS and NetBIOS). */
  public String key() {
    return name.toLowerCase(Locale.ROOT);
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("ip", ip).put("source", source);
  }
}
