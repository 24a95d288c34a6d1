package io.fleetcast.gateway.wake;

import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.gateway.error.BodyReader;
import io.fleetcast.protocol.wake.MacAddress;
import io.fleetcast.protocol.wake.MagicPacket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A validated {@code POST /api/v1/wake} body:
 * <pre>
 * { "agents": ["&lt;agent id&gt;", ...],
 *   "macs": ["aa:bb:cc:dd:ee:ff", {"mac": "aabb.ccdd.eeff", "subnet": "10.1.2.0/24"}, ...],
 *   "subnet": "10.1.2.0/24",          // for MACs given as plain strings
 *   "secureOn": "01:02:03:04:05:06" }  // optional SecureOn password (direct path only)
 * </pre>
 * Every problem is reported at once as a per-field error ({@code macs[2]}, {@code macs[3].subnet}).
 */
public record WakeRequest(List<String> agents, Map<MacAddress, Subnet> macs, byte[] secureOn) {
  public static final int MAX_TARGETS = 10_000;

  public static WakeRequest parse(JsonObject body) {
    BodyReader r = BodyReader.of(body);
    r.onlyKnown(Set.of("agents", "macs", "subnet", "secureOn"));
    Set<String> agents = new LinkedHashSet<>();
    JsonArray a = r.array("agents", false, MAX_TARGETS);
    if (a != null) {
      for (int i = 0; i < a.size(); i++) {
        Object v = a.getValue(i);
        String id = v instanceof String s ? canonicalUuid(s) : null;
        if (id == null) {
          r.error("agents[" + i + "]", "must be an agent id (a UUID)");
        } else {
          agents.add(id);
        }
      }
    }
    Subnet common = null;
    String subnetText = r.string("subnet", false, 64);
    if (subnetText != null) {
      try {
        common = Subnet.parse(subnetText);
      } catch (IllegalArgumentException e) {
        r.error("subnet", e.getMessage());
      }
    }
    Map<MacAddress, Subnet> macs = new LinkedHashMap<>();
    JsonArray m = r.array("macs", false, MAX_TARGETS);
    if (m != null) {
      for (int i = 0; i < m.size(); i++) {
        Object v = m.getValue(i);
        String field = "macs[" + i + "]";
        if (v instanceof String s) {
          MacAddress mac = mac(r, field, s);
          if (mac != null) {
            macs.putIfAbsent(mac, common);
          }
        } else if (v instanceof JsonObject o) {
          BodyReader item = r.nested(field, o);
          item.onlyKnown(Set.of("mac", "subnet"));
          String macText = item.string("mac", true, 64);
          MacAddress mac = macText == null ? null : mac(r, field + ".mac", macText);
          Subnet subnet = common;
          String st = item.string("subnet", false, 64);
          if (st != null) {
            try {
              subnet = Subnet.parse(st);
            } catch (IllegalArgumentException e) {
              item.error("subnet", e.getMessage());
            }
          }
          if (mac != null) {
            macs.putIfAbsent(mac, subnet);
          }
        } else {
          r.error(field, "must be a MAC address string or an object {\"mac\", \"subnet\"}");
        }
      }
    }
    byte[] secureOn = null;
    String so = r.string("secureOn", false, 64);
    if (so != null) {
      try {
        secureOn = MagicPacket.secureOn(so);
      } catch (IllegalArgumentException e) {
        r.error("secureOn", e.getMessage());
      }
    }
    if (r.errors().isEmpty() && agents.isEmpty() && macs.isEmpty()) {
      r.error("agents", "say what to wake: give \"agents\" or \"macs\" (at least one entry)");
    }
    if (agents.size() + macs.size() > MAX_TARGETS) {
      r.error("macs", "at most " + MAX_TARGETS + " agents and MACs together");
    }
    r.throwIfInvalid();
    return new WakeRequest(List.copyOf(agents), macs, secureOn);
  }

  private static MacAddress mac(BodyReader r, String field, String text) {
    try {
      return MacAddress.parse(text);
    } catch (IllegalArgumentException e) {
      r.error(field, e.getMessage());
      return null;
    }
  }

  private static String canonicalUuid(String s) {
    return io.fleetcast.protocol.AgentIds.canonical(s);
  }

  /** Agent ids as UUIDs. */
  public List<UUID> agentUuids() {
    List<UUID> out = new ArrayList<>();
    agents.forEach(a -> out.add(UUID.fromString(a)));
    return out;
  }
}
