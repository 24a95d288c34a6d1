package io.fleetcast.gateway.wake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fleetcast.protocol.net.IpLiteral;
import io.fleetcast.protocol.net.Subnet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subnets this gateway can reach directly, with where to send their magic packets: the
 * opsi-style table {@code {cidr: {broadcastAddress: [ports]}}}. A target subnet uses the
 * route of the same subnet, else the route with the longest prefix that contains it. Only IP
 * literals are accepted (nothing is ever resolved). Empty by default: without configuration
 * nothing is sent directly.
 *
 * <p>Accepted shapes per subnet: {@code {"10.1.2.255": [9, 7]}}, {@code {"10.1.2.255": 9}},
 * {@code {"10.1.2.255": null}} (default port) and the shorthand {@code "10.1.2.255"}.
 */
public final class DirectRoutes {

  /** Where one packet goes. */
  public record Destination(String address, int port) {}

  private record Route(Subnet subnet, List<Destination> destinations) {}

  public static final DirectRoutes NONE = new DirectRoutes(List.of());

  private final List<Route> routes;

  private DirectRoutes(List<Route> routes) {
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparingInt((Route r) -> r.subnet().prefixLength()).reversed());
    this.routes = List.copyOf(sorted);
  }

  /**
   * Reads the setting's value: null/blank (no routes), a JSON object (a YAML map in the config
   * file arrives as one), or a path to a YAML or JSON file holding the table. Blocking when a
   * file is named: call at start-up, off the event loop.
   *
   * @throws IllegalArgumentException naming the offending entry
   */
  public static DirectRoutes fromSetting(String value, int defaultPort) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    String v = value.trim();
    if (v.startsWith("{")) {
      try {
        return parse(new JsonObject(v), defaultPort);
      } catch (io.vertx.core.json.DecodeException e) {
        throw new IllegalArgumentException("wake.directRoutes: not valid JSON: " + e.getMessage());
      }
    }
    Path file = Path.of(v);
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(Files.readString(file), Map.class);
      return parse(map == null ? new JsonObject() : new JsonObject(map), defaultPort);
    } catch (IOException e) {
      throw new IllegalArgumentException("wake.directRoutes: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static DirectRoutes parse(JsonObject table, int defaultPort) {
    List<Route> out = new ArrayList<>();
    for (String cidr : table.fieldNames()) {
      Subnet subnet;
      try {
        subnet = Subnet.parse(cidr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("wake.directRoutes: " + e.getMessage());
      }
      Object spec = table.getValue(cidr);
      Map<String, Object> byAddress = new LinkedHashMap<>();
      if (spec instanceof String s) {
        byAddress.put(s, null);
      } else if (spec instanceof JsonObject o) {
        o.fieldNames().forEach(k -> byAddress.put(k, o.getValue(k)));
      } else {
        throw new IllegalArgumentException("wake.directRoutes." + cidr
            + ": expected {broadcastAddress: [ports]} or a broadcast address");
      }
      if (byAddress.isEmpty()) {
        throw new IllegalArgumentException("wake.directRoutes." + cidr + ": names no broadcast address");
      }
      List<Destination> dests = new ArrayList<>();
      byAddress.forEach((address, ports) -> {
        String canonical = IpLiteral.canonicalOrNull(address);
        if (canonical == null) {
          throw new IllegalArgumentException("wake.directRoutes." + cidr + ": '" + address
              + "' is not an IP address (names are not resolved)");
        }
        for (int port : ports(cidr, address, ports, defaultPort)) {
          dests.add(new Destination(canonical, port));
        }
      });
      out.add(new Route(subnet, List.copyOf(dests)));
    }
    return new DirectRoutes(out);
  }

  private static List<Integer> ports(String cidr, String address, Object spec, int defaultPort) {
    List<Object> raw = new ArrayList<>();
    if (spec == null) {
      raw.add(defaultPort);
    } else if (spec instanceof JsonArray a) {
      raw.addAll(a.getList());
    } else {
      raw.add(spec);
    }
    List<Integer> out = new ArrayList<>();
    for (Object p : raw) {
      int port;
      if (p instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
        port = n.intValue();
      } else {
        try {
          port = Integer.parseInt(String.valueOf(p).trim());
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("wake.directRoutes." + cidr + "." + address + ": '" + p
            + "' is not a UDP port (1-65535)");
      }
      if (!out.contains(port)) {
        out.add(port);
      }
    }
    if (out.isEmpty()) {
      out.add(defaultPort);
    }
    return out;
  }

  /** Where packets for machines in {@code subnet} go; empty when it is not reachable directly. */
  public List<Destination> lookup(Subnet subnet) {
    for (Route r : routes) {
      if (r.subnet().contains(subnet)) {
        return r.destinations();
      }
    }
    return List.of();
  }

  public boolean isEmpty() {
    return routes.isEmpty();
  }

  public int size() {
    return routes.size();
  }
}
