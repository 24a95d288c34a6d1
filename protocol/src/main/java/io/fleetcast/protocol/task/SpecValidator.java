package io.fleetcast.protocol.task;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a spec against its kind's descriptor and returns every problem at once, one per field
 * (the first that field has), in the order the descriptor lists the fields. Null values count as
 * absent. Pure: no I/O, no state.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /** Problems of {@code spec} (null = empty) as a {@code kind} spec at {@code stage}; empty when valid. */
  public static List<SpecError> check(TaskKind kind, SpecStage stage, JsonObject spec) {
    JsonObject json = spec == null ? new JsonObject() : spec;
    List<SpecError> errors = new ArrayList<>();
    SpecForm form = kind.formFor(stage, json);
    if (stage.refusesUnknownFields()) {
      for (String k : json.fieldNames()) {
        if (form.field(k).isEmpty()) {
          errors.add(new SpecError(k, "unknown field"));
        }
      }
    }
    for (SpecField f : form.fields()) {
      Object v = json.getValue(f.name());
      if (v == null) {
        if (f.mandatory()) {
          errors.add(new SpecError(f.name(), "is required"));
        }
      } else {
        checkValue(f, v, errors);
      }
    }
    return errors;
  }

  private static void checkValue(SpecField f, Object v, List<SpecError> errors) {
    String problem = switch (f.type()) {
      case STRING -> stringProblem(f, v);
      case INTEGER -> integerProblem(f, v);
      case BOOLEAN -> v instanceof Boolean ? null : "must be true or false";
      case INSTANT -> instantProblem(v);
      case STRING_MAP -> v instanceof JsonObject ? null : "must be an object";
      case STRING_LIST, INTEGER_LIST, OBJECT_LIST -> !(v instanceof JsonArray a) ? "must be an array"
          : a.size() > f.maxItems() ? "must have at most " + f.maxItems() + " entries" : null;
    };
    if (problem != null) {
      errors.add(new SpecError(f.name(), problem));
      return;
    }
    if (v instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        String item = itemProblem(f, a.getValue(i));
        if (item != null) {
          errors.add(new SpecError(f.name() + "[" + i + "]", item));
        }
      }
    } else if (f.type() == FieldType.STRING_MAP) {
      for (Map.Entry<String, Object> e : (JsonObject) v) {
        if (!(e.getValue() instanceof String)) {
          errors.add(new SpecError(f.name() + "." + e.getKey(), "must be a string"));
        }
      }
    }
  }

  private static String stringProblem(SpecField f, Object v) {
    if (!(v instanceof String s)) {
      return "must be a string";
    }
    if (f.mandatory() && s.isBlank()) {
      return "must not be empty";
    }
    if (!f.allowed().isEmpty()) {
      return f.allowed().contains(s) ? null : "must be one of " + String.join(", ", f.allowed());
    }
    if (s.length() > f.max()) {
      return "must be at most " + f.max() + " characters";
    }
    if (f.pattern() != null && !f.pattern().matcher(s).matches()) {
      return f.rule();
    }
    return null;
  }

  private static String integerProblem(SpecField f, Object v) {
    if (!(v instanceof Number n) || !isWhole(n)) {
      return "must be an integer";
    }
    return inRange(n, f.min(), f.max()) ? null : "must be between " + f.min() + " and " + f.max();
  }

  private static String itemProblem(SpecField f, Object item) {
    return switch (f.type()) {
      case STRING_LIST -> item instanceof String s && !s.isBlank() && s.length() <= f.max() ? null
          : "must be a non-empty string of at most " + f.max() + " characters";
      case INTEGER_LIST -> item instanceof Number n && isWhole(n) && inRange(n, f.min(), f.max()) ? null
          : "must be an integer between " + f.min() + " and " + f.max();
      default -> item instanceof JsonObject ? null : "must be an object";
    };
  }

  private static boolean isWhole(Number n) {
    double d = n.doubleValue();
    return !Double.isNaN(d) && !Double.isInfinite(d) && d == Math.rint(d);
  }

  private static boolean inRange(Number n, long min, long max) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return n.longValue() >= min && n.longValue() <= max;
    }
    // a double (or a big integer) compared as such: beyond long's range is out of every range
    return n.doubleValue() >= min && n.doubleValue() <= max;
  }

  private static String instantProblem(Object v) {
    if (!(v instanceof String s)) {
      return "must be an RFC 3339 time string";
    }
    String example = "must be an RFC 3339 time such as 2026-12-01T00:00:00Z";
    if (s.startsWith("+") || s.startsWith("-")) {
      // java.time reads signed years beyond 9999 that RFC 3339 does not have (and Postgres cannot store)
      return example;
    }
    try {
      Instant.parse(s);
      return null;
    } catch (DateTimeParseException e) {
      try {
        OffsetDateTime.parse(s);
        return null;
      } catch (DateTimeParseException e2) {
        return example;
      }
    }
  }
}
