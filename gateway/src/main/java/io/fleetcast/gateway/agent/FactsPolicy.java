package io.fleetcast.gateway.agent;

import io.fleetcast.gateway.error.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an agent may say about itself at enrollment ({@code facts}): a small JSON object of
 * scalars, arrays of scalars and objects one level down. Facts are stored in every agent row and
 * shown by the API, so an unbounded value is a way to fill the database and every agent listing.
 * Pure: no I/O.
 */
public final class FactsPolicy {
  public static final int MAX_BYTES = 16 * 1024;
  public static final int MAX_KEYS = 64;
  public static final int MAX_KEY_LENGTH = 64;
  public static final int MAX_STRING_LENGTH = 1024;
  public static final int MAX_ARRAY_ITEMS = 256;
  static final int MAX_DEPTH = 2;
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+");

  private FactsPolicy() {}

  /** Every problem of {@code facts}, each naming its field ({@code facts.ips[3]}); empty when acceptable. */
  public static List<FieldError> check(JsonObject facts) {
    List<FieldError> errors = new ArrayList<>();
    int bytes = facts.encode().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      errors.add(new FieldError("facts", "must be at most " + MAX_BYTES + " bytes as JSON (is " + bytes + ")"));
      return errors; // the rest would only list the consequences of the size
    }
    object("facts", facts, 1, errors);
    return errors;
  }

  private static void object(String path, JsonObject o, int depth, List<FieldError> errors) {
    if (o.size() > MAX_KEYS) {
      errors.add(new FieldError(path, "must have at most " + MAX_KEYS + " keys"));
      return;
    }
    for (Map.Entry<String, Object> e : o) {
      String key = e.getKey();
      if (key.length() > MAX_KEY_LENGTH || !KEY.matcher(key).matches()) {
        errors.add(new FieldError(path + "." + abbreviate(key),
            "keys must be 1 to " + MAX_KEY_LENGTH + " characters of A-Z a-z 0-9 _ . -"));
        continue;
      }
      value(path + "." + key, e.getValue(), depth, errors);
    }
  }

  private static void value(String path, Object v, int depth, List<FieldError> errors) {
    if (v instanceof JsonObject o) {
      if (depth >= MAX_DEPTH) {
        errors.add(new FieldError(path, "objects may nest only " + MAX_DEPTH + " levels deep"));
      } else {
        object(path, o, depth + 1, errors);
      }
    } else if (v instanceof JsonArray a) {
      if (a.size() > MAX_ARRAY_ITEMS) {
        errors.add(new FieldError(path, "must have at most " + MAX_ARRAY_ITEMS + " entries"));
        return;
      }
      for (int i = 0; i < a.size(); i++) {
        Object item = a.getValue(i);
        if (item instanceof JsonObject || item instanceof JsonArray) {
          errors.add(new FieldError(path + "[" + i + "]", "must be a string, number, boolean or null"));
        } else {
          scalar(path + "[" + i + "]", item, errors);
        }
      }
    } else {
      scalar(path, v, errors);
    }
  }

  private static void scalar(String path, Object v, List<FieldError> errors) {
    if (v instanceof String s && s.length() > MAX_STRING_LENGTH) {
      errors.add(new FieldError(path, "must be at most " + MAX_STRING_LENGTH + " characters"));
    } else if (v instanceof Number n && !Double.isFinite(n.doubleValue())) {
      errors.add(new FieldError(path, "must be a finite number"));
    }
  }

  private static String abbreviate(String key) {
    return key.length() <= MAX_KEY_LENGTH ? key : key.substring(0, MAX_KEY_LENGTH) + "...";
  }
}
