package io.fleetcast.gateway.testing;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The role table of docs/security.md ("| `METHOD` | `/path/{id}` | role |" rows between the
 * role-table markers) and the routes of the API router, both as "METHOD /path/{param}" keys.
 */
public final class RoleTable {
  public static final Path DOC = Path.of("..", "docs", "security.md");
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([A-Z]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|\\s*([^|]+?)\\s*\\|");

  private RoleTable() {}

  /** Route key -> minimum role (viewer, operator, admin) or who else may call it. */
  public static Map<String, String> fromDocs() throws IOException {
    String text = Files.readString(DOC);
    int b = text.indexOf("<!-- roles:begin -->");
    int e = text.indexOf("<!-- roles:end -->");
    if (b < 0 || e < b) {
      throw new IllegalStateException(DOC + " has no <!-- roles:begin --> ... <!-- roles:end --> table");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.substring(b, e).split("\n")) {
      Matcher m = ROW.matcher(line.trim());
      if (m.find()) {
        out.put(m.group(1) + " " + m.group(2), m.group(3).trim());
      }
    }
    return out;
  }

  /** Every route of the router that names its methods and an exact path. */
  public static Set<String> fromRouter(Router router) {
    Set<String> out = new TreeSet<>();
    for (Route r : router.getRoutes()) {
      Set<HttpMethod> methods = r.methods();
      String path = r.getPath();
      if (methods == null || methods.isEmpty() || path == null || !r.isExactPath()) {
        continue;
      }
      String doc = path.replaceAll(":([A-Za-z]+)", "{$1}");
      for (HttpMethod m : methods) {
        out.add(m.name() + " " + doc);
      }
    }
    return out;
  }

  /** The path with every {param} replaced by a fresh UUID (which no resource has). */
  public static String concrete(String path) {
    return path.replaceAll("\\{[A-Za-z]+}", UUID.randomUUID().toString());
  }
}
