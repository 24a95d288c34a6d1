package io.fleetcast.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What an agent reports about its machine (SPEC section 1, {@code hello.facts}). */
public record Facts(
    String hostname,
    String os,
    String arch,
    List<String> ips,
    List<String> macs,
    List<String> subnets,
    List<String> tags,
    List<String> users) {

  public static final Facts EMPTY = new Facts("", "", "", List.of(), List.of(), List.of(), List.of(), List.of());

  public Facts {
    hostname = hostname == null ? "" : hostname;
    os = os == null ? "" : os;
    arch = arch == null ? "" : arch;
    ips = List.copyOf(ips == null ? List.of() : ips);
    macs = List.copyOf(macs == null ? List.of() : macs);
    subnets = List.copyOf(subnets == null ? List.of() : subnets);
    tags = List.copyOf(tags == null ? List.of() : tags);
    users = List.copyOf(users == null ? List.of() : users);
  }

  public static Facts fromJson(JsonObject json) {
    if (json == null) {
      return EMPTY;
    }
    Fields f = new Fields(json, "facts");
    return new Facts(
        f.optString("hostname", ""),
        f.optString("os", ""),
        f.optString("arch", ""),
        f.optStrings("ips"),
        f.optStrings("macs"),
        f.optStrings("subnets"),
        f.optStrings("tags"),
        f.optStrings("users"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("hostname", hostname)
        .put("os", os)
        .put("arch", arch)
        .put("ips", new JsonArray(ips))
        .put("macs", new JsonArray(macs))
        .put("subnets", new JsonArray(subnets))
        .put("tags", new JsonArray(tags))
        .put("users", new JsonArray(users));
  }
}
