package io.fleetcast.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A deterministic JSON text: object keys sorted, no whitespace. Signer and verifier both
 * canonicalise the parsed value, so re-encoding on the way cannot break a signature.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  public static String encode(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v) {
    if (v instanceof JsonObject o) {
      writeObject(sb, o.getMap());
    } else if (v instanceof Map<?, ?> m) {
      writeObject(sb, m);
    } else if (v instanceof JsonArray a) {
      writeArray(sb, a.getList());
    } else if (v instanceof List<?> l) {
      writeArray(sb, l);
    } else if (v instanceof String s) {
      sb.append(new JsonArray().add(s).encode(), 1, new JsonArray().add(s).encode().length() - 1);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        sb.append((long) d);
      } else {
        sb.append(d);
      }
    } else {
      sb.append(v);
    }
  }

  private static void writeObject(StringBuilder sb, Map<?, ?> m) {
    List<String> keys = new ArrayList<>();
    for (Object k : m.keySet()) {
      keys.add(String.valueOf(k));
    }
    Collections.sort(keys);
    sb.append('{');
    boolean first = true;
    for (String k : keys) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      write(sb, k);
      sb.append(':');
      write(sb, m.get(k));
    }
    sb.append('}');
  }

  private static void writeArray(StringBuilder sb, List<?> l) {
    sb.append('[');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      write(sb, l.get(i));
    }
    sb.append(']');
  }
}
