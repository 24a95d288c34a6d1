package io.fleetcast.gateway.error;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and validates a JSON request body, collecting every problem (not just the first)
 * as per-field errors. Unknown fields are errors too: a field the server would ignore is
 * a field the operator believes is in effect.
 */
public final class BodyReader {
  private final JsonObject json;
  private final String prefix;
  private final List<FieldError> errors;

  private BodyReader(JsonObject json, String prefix, List<FieldError> errors) {
    this.json = json;
    this.prefix = prefix;
    this.errors = errors;
  }

  public static BodyReader of(JsonObject json) {
    return new BodyReader(json == null ? new JsonObject() : json, "", new ArrayList<>());
  }

  public BodyReader nested(String name, JsonObject obj) {
    return new BodyReader(obj, path(name) + ".", errors);
  }

  public String path(String name) {
    return prefix + name;
  }

  public void error(String field, String message) {
    errors.add(new FieldError(path(field), message));
  }

  public void onlyKnown(Set<String> known) {
    for (String k : json.fieldNames()) {
      if (!known.contains(k)) {
        error(k, "unknown field");
      }
    }
  }

  public boolean has(String name) {
    return json.getValue(name) != null;
  }

  public String string(String name, boolean required, int maxLength) {
    Object v = present(name, required);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      error(name, "must be a string");
      return null;
    }
    if (required && s.isBlank()) {
      error(name, "must not be empty");
      return null;
    }
    if (s.length() > maxLength) {
      error(name, "must be at most " + maxLength + " characters");
      return null;
    }
    return s;
  }

  public Integer integer(String name, boolean required, long min, long max) {
    Object v = present(name, required);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      error(name, "must be an integer");
      return null;
    }
    if (n.doubleValue() < min || n.doubleValue() > max) {
      error(name, "must be between " + min + " and " + max);
      return null;
    }
    return n.intValue();
  }

  public Double number(String name, double min, double max) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      error(name, "must be a number");
      return null;
    }
    if (n.doubleValue() < min || n.doubleValue() > max || Double.isNaN(n.doubleValue())) {
      error(name, "must be between " + min + " and " + max);
      return null;
    }
    return n.doubleValue();
  }

  public Boolean bool(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean b)) {
      error(name, "must be true or false");
      return null;
    }
    return b;
  }

  public Instant instant(String name, boolean required) {
    Object v = present(name, required);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      error(name, "must be an RFC 3339 time string");
      return null;
    }
    if (s.startsWith("+") || s.startsWith("-")) {
      // java.time reads signed years beyond 9999 that RFC 3339 does not have (and Postgres cannot store)
      error(name, "must be an RFC 3339 time such as 2026-12-01T00:00:00Z");
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e2) {
        error(name, "must be an RFC 3339 time such as 2026-12-01T00:00:00Z");
        return null;
      }
    }
  }

  public JsonObject object(String name, boolean required) {
    Object v = present(name, required);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      error(name, "must be an object");
      return null;
    }
    return o;
  }

  public JsonArray array(String name, boolean required, int maxSize) {
    Object v = present(name, required);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      error(name, "must be an array");
      return null;
    }
    if (a.size() > maxSize) {
      error(name, "must have at most " + maxSize + " entries");
      return null;
    }
    return a;
  }

  public List<String> strings(String name, int maxSize, int maxLength) {
    JsonArray a = array(name, false, maxSize);
    if (a == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      Object o = a.getValue(i);
      if (!(o instanceof String s) || s.isBlank() || s.length() > maxLength) {
        error(name + "[" + i + "]", "must be a non-empty string of at most " + maxLength + " characters");
      } else {
        out.add(s);
      }
    }
    return out;
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** Throws the collected errors as one invalid-input error, if there are any. */
  public void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw DomainError.invalid(errors);
    }
  }

  /** The field's value; null when absent, after reporting it when it is required. */
  private Object present(String name, boolean required) {
    Object v = json.getValue(name);
    if (v == null && required) {
      error(name, "is required");
    }
    return v;
  }
}
