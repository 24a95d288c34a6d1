package io.fleetcast.agent.task.kinds;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a task {@code spec} the kind's descriptor accepted ({@link io.fleetcast.agent.task.TaskKind#validate}
 * runs before anything): bounds and allowed values are the descriptor's, not repeated here; a wrong
 * type still throws {@link BadSpec} rather than being misread.
 */
final class SpecReader {

  static final class BadSpec extends RuntimeException {
    BadSpec(String message) {
      super(message, null, false, false);
    }
  }

  private final JsonObject spec;

  SpecReader(JsonObject spec) {
    this.spec = spec == null ? new JsonObject() : spec;
  }

  String string(String name) {
    String s = optString(name);
    if (s == null || s.isBlank()) {
      throw new BadSpec("spec." + name + " is required");
    }
    return s;
  }

  String optString(String name) {
    Object v = spec.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new BadSpec("spec." + name + " must be a string");
    }
    return s;
  }

  boolean bool(String name, boolean fallback) {
    Object v = spec.getValue(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw new BadSpec("spec." + name + " must be true or false");
    }
    return b;
  }

  Long optLong(String name) {
    Object v = spec.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new BadSpec("spec." + name + " must be a whole number");
    }
    return n.longValue();
  }

  List<String> strings(String name) {
    Object v = spec.getValue(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray arr)) {
      throw new BadSpec("spec." + name + " must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : arr) {
      if (!(o instanceof String s)) {
        throw new BadSpec("spec." + name + " must be an array of strings");
      }
      out.add(s);
    }
    return out;
  }

  Map<String, String> stringMap(String name) {
    Object v = spec.getValue(name);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof JsonObject obj)) {
      throw new BadSpec("spec." + name + " must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : obj) {
      if (!(e.getValue() instanceof String s)) {
        throw new BadSpec("spec." + name + "." + e.getKey() + " must be a string");
      }
      out.put(e.getKey(), s);
    }
    return out;
  }
}
