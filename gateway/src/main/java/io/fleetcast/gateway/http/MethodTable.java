package io.fleetcast.gateway.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each routed path answers, read from the router once it is built: a request for a
 * known path with another method gets 405 and {@code Allow} (RFC 9110 section 15.5.6), not 404.
 */
final class MethodTable {
  private record Entry(Pattern path, TreeSet<String> methods) {}

  private final List<Entry> entries;

  private MethodTable(List<Entry> entries) {
    this.entries = entries;
  }

  static MethodTable of(Router router) {
    Map<String, TreeSet<String>> byPath = new LinkedHashMap<>();
    for (Route r : router.getRoutes()) {
      if (r.getPath() == null || !r.isExactPath() || r.methods() == null || r.methods().isEmpty()) {
        continue;
      }
      TreeSet<String> set = byPath.computeIfAbsent(r.getPath(), k -> new TreeSet<>());
      for (HttpMethod m : r.methods()) {
        set.add(m.name());
      }
    }
    List<Entry> out = new ArrayList<>();
    byPath.forEach((path, methods) -> out.add(new Entry(pattern(path), methods)));
    return new MethodTable(out);
  }

  /** {@code /api/v1/rollouts/:id} as a regex: each parameter is one path segment. */
  static Pattern pattern(String routePath) {
    List<String> parts = new ArrayList<>();
    for (String seg : routePath.split("/", -1)) {
      parts.add(seg.startsWith(":") ? "[^/]+" : Pattern.quote(seg));
    }
    return Pattern.compile(String.join("/", parts));
  }

  /** The {@code Allow} value for {@code path} when some route has it, else empty. */
  Optional<String> allowed(String path) {
    TreeSet<String> methods = new TreeSet<>();
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    for (Entry e : entries) {
      if (e.path().matcher(p).matches()) {
        methods.addAll(e.methods());
      }
    }
    return methods.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", methods));
  }
}
