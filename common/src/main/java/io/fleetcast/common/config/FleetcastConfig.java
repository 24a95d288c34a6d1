package io.fleetcast.common.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Effective configuration: defaults, overlaid by the defaults of the process's role (e.g. the
 * standalone server binds loopback), overlaid by the YAML (or JSON) file, overlaid by
 * {@code FLEETCAST_*} environment variables, overlaid by explicit overrides (tests, CLI).
 * Unknown keys in the file are refused so that a typo never silently falls back to a default.
 */
public final class FleetcastConfig {

  private final JsonObject values;

  private FleetcastConfig(JsonObject values) {
    this.values = values;
  }

  public static FleetcastConfig load(Path file, Map<String, String> env, Map<String, Object> overrides) {
    return load(file, env, Map.of(), overrides);
  }

  /** As {@link #load(Path, Map, Map)}, with {@code roleDefaults} replacing defaults wherever file and environment are silent. */
  public static FleetcastConfig load(Path file, Map<String, String> env, Map<String, Object> roleDefaults,
      Map<String, Object> overrides) {
    JsonObject flat = new JsonObject();
    for (Setting s : Settings.ALL) {
      flat.put(s.path(), s.defaultValue());
    }
    roleDefaults.forEach((k, v) -> {
      if (Settings.byPath(k).isEmpty()) {
        throw new IllegalArgumentException("unknown setting '" + k + "'");
      }
      flat.put(k, v);
    });
    if (file != null) {
      flatten("", readFile(file), flat, file.toString());
    }
    for (Setting s : Settings.ALL) {
      String v = env.get(s.envName());
      if (v != null && !v.isBlank()) {
        flat.put(s.path(), v.trim());
      }
    }
    overrides.forEach((k, v) -> {
      if (Settings.byPath(k).isEmpty()) {
        throw new IllegalArgumentException("unknown setting '" + k + "'");
      }
      flat.put(k, v);
    });
    return new FleetcastConfig(flat);
  }

  /** The configuration of a process: file from {@code --config} or {@code FLEETCAST_CONFIG}, then the environment. */
  public static FleetcastConfig fromEnvironment(Path file, Map<String, Object> overrides) {
    Map<String, String> env = System.getenv();
    Path f = file != null ? file : (env.get("FLEETCAST_CONFIG") != null ? Path.of(env.get("FLEETCAST_CONFIG")) : null);
    return load(f, env, overrides);
  }

  /** The configuration of a process of a role: its role defaults, then file and environment as in {@link #fromEnvironment}. */
  public static FleetcastConfig forRole(Path file, Map<String, Object> roleDefaults) {
    Map<String, String> env = System.getenv();
    Path f = file != null ? file : (env.get("FLEETCAST_CONFIG") != null ? Path.of(env.get("FLEETCAST_CONFIG")) : null);
    return load(f, env, roleDefaults, Map.of());
  }

  /** Defaults plus overrides only: what tests use, so that the developer's environment cannot leak in. */
  public static FleetcastConfig of(Map<String, Object> overrides) {
    return load(null, Map.of(), overrides);
  }

  public FleetcastConfig with(String path, Object value) {
    if (Settings.byPath(path).isEmpty()) {
      throw new IllegalArgumentException("unknown setting '" + path + "'");
    }
    return new FleetcastConfig(values.copy().put(path, value));
  }

  private static JsonObject readFile(Path file) {
    try {
      ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
      String text = Files.readString(file);
      if (mapper.readTree(text).isMissingNode()) {
        return new JsonObject(); // empty, or only comments: all defaults
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = mapper.readValue(text, Map.class);
      return map == null ? new JsonObject() : new JsonObject(map);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void flatten(String prefix, JsonObject obj, JsonObject out, String source) {
    for (String key : obj.fieldNames()) {
      String path = prefix.isEmpty() ? key : prefix + "." + key;
      Object v = obj.getValue(key);
      if (v instanceof JsonObject nested && Settings.byPath(path).isEmpty()) {
        flatten(path, nested, out, source);
      } else if (Settings.byPath(path).isPresent()) {
        out.put(path, v instanceof io.vertx.core.json.JsonArray a ? String.join(",", a.getList().stream().map(String::valueOf).toList()) : v);
      } else {
        throw new IllegalArgumentException(source + ": unknown setting '" + path + "'");
      }
    }
  }

  public String string(String path) {
    Object v = raw(path);
    return v == null ? null : String.valueOf(v);
  }

  public int integer(String path) {
    Object v = raw(path);
    if (v instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting " + path + " must be an integer, got '" + v + "'");
    }
  }

  public boolean bool(String path) {
    Object v = raw(path);
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v).trim().toLowerCase();
    if (s.equals("true") || s.equals("1") || s.equals("yes")) {
      return true;
    }
    if (s.equals("false") || s.equals("0") || s.equals("no")) {
      return false;
    }
    throw new IllegalArgumentException("setting " + path + " must be true or false, got '" + v + "'");
  }

  public List<String> list(String path) {
    String v = string(path);
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public boolean isSet(String path) {
    Object v = raw(path);
    return v != null && !String.valueOf(v).isBlank();
  }

  private Object raw(String path) {
    if (Settings.byPath(path).isEmpty()) {
      throw new IllegalArgumentException("unknown setting '" + path + "'");
    }
    return values.getValue(path);
  }
}
