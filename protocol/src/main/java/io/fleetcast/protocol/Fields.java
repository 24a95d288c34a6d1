package io.fleetcast.protocol;

import io.fleetcast.protocol.ProtocolException.Reason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Typed, validating access to the fields of one received JSON message. */
final class Fields {
  private static final int MAX_ID_LENGTH = 128;
  private static final int MAX_LIST = 4096;

  private final JsonObject json;
  private final String where;

  Fields(JsonObject json, String where) {
    this.json = json;
    this.where = where;
  }

  String id(String name) {
    String v = string(name);
    if (v.isEmpty() || v.length() > MAX_ID_LENGTH) {
      throw invalid(name, "must be 1-" + MAX_ID_LENGTH + " characters");
    }
    return v;
  }

  String string(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      throw new ProtocolException(Reason.MISSING_FIELD, where + ": missing field '" + name + "'");
    }
    if (!(v instanceof String s)) {
      throw invalid(name, "must be a string");
    }
    return s;
  }

  String optString(String name, String fallback) {
    Object v = json.getValue(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s)) {
      throw invalid(name, "must be a string");
    }
    return s;
  }

  Integer optInt(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || n.longValue() > Integer.MAX_VALUE || n.longValue() < Integer.MIN_VALUE) {
      throw invalid(name, "must be an integer");
    }
    return n.intValue();
  }

  long optLong(String name, long fallback) {
    Object v = json.getValue(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw invalid(name, "must be an integer");
    }
    return n.longValue();
  }

  boolean optBool(String name, boolean fallback) {
    Object v = json.getValue(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw invalid(name, "must be a boolean");
    }
    return b;
  }

  Instant optInstant(String name) {
    String v = optString(name, null);
    if (v == null) {
      return null;
    }
    if (v.isEmpty() || v.charAt(0) < '0' || v.charAt(0) > '9') {
      // RFC 3339 years have four digits; Instant.parse also takes "+1000000000-...", which no store can hold
      throw invalid(name, "must be an RFC 3339 UTC time");
    }
    try {
      return UtcTimes.parse(v);
    } catch (DateTimeParseException e) {
      throw invalid(name, "must be an RFC 3339 UTC time");
    }
  }

  Instant instant(String name) {
    Instant v = optInstant(name);
    if (v == null) {
      throw new ProtocolException(Reason.MISSING_FIELD, where + ": missing field '" + name + "'");
    }
    return v;
  }

  JsonObject optObject(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw invalid(name, "must be an object");
    }
    return o;
  }

  JsonObject object(String name) {
    JsonObject o = optObject(name);
    if (o == null) {
      throw new ProtocolException(Reason.MISSING_FIELD, where + ": missing field '" + name + "'");
    }
    return o;
  }

  JsonArray array(String name) {
    JsonArray a = optArray(name);
    if (a == null) {
      throw new ProtocolException(Reason.MISSING_FIELD, where + ": missing field '" + name + "'");
    }
    return a;
  }

  JsonArray optArray(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      throw invalid(name, "must be an array");
    }
    if (a.size() > MAX_LIST) {
      throw invalid(name, "has more than " + MAX_LIST + " entries");
    }
    return a;
  }

  List<String> optStrings(String name) {
    JsonArray a = optArray(name);
    if (a == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(a.size());
    for (Object o : a) {
      if (!(o instanceof String s)) {
        throw invalid(name, "must hold only strings");
      }
      out.add(s);
    }
    return out;
  }

  List<String> strings(String name) {
    array(name);
    return optStrings(name);
  }

  ProtocolException invalid(String name, String why) {
    return new ProtocolException(Reason.INVALID_FIELD, where + ": field '" + name + "' " + why);
  }
}
