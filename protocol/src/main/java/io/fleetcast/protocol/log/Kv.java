package io.fleetcast.protocol.log;

/**
 * The one builder of structured log lines, {@code event=name key=value ...}, for every module (the
 * agent, which depends on the protocol only, included). Values with spaces, quotes, '=' or control
 * characters are quoted and escaped, so a line stays one record whatever it carries.
 *
 * <p>Two spellings: {@code Kv.event("x").kv("k", v).toString()} (a null value is written {@code -})
 * and {@code Kv.line("x", "k", v, ...)} (a null value is written {@code null}).
 */
public final class Kv {
  private final StringBuilder sb;

  private Kv(String event) {
    sb = new StringBuilder(96).append("event=").append(event);
  }

  public static Kv event(String event) {
    return new Kv(event);
  }

  public Kv kv(String key, Object value) {
    sb.append(' ').append(key).append('=').append(quote(value == null ? "-" : String.valueOf(value)));
    return this;
  }

  /** The line of {@code event} with alternating keys and values. */
  public static String line(String event, Object... keyValues) {
    StringBuilder sb = new StringBuilder(64).append("event=").append(event);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      sb.append(' ').append(keyValues[i]).append('=').append(quote(String.valueOf(keyValues[i + 1])));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return sb.toString();
  }

  /** The value as it may stand after {@code key=}: bare when plain, else quoted and escaped. */
  public static String quote(String v) {
    boolean plain = !v.isEmpty();
    for (int i = 0; i < v.length() && plain; i++) {
      char c = v.charAt(i);
      plain = c > ' ' && c != '"' && c != '=' && c < 127;
    }
    if (plain) {
      return v;
    }
    StringBuilder q = new StringBuilder(v.length() + 2).append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        default -> q.append(c < ' ' ? ' ' : c);
      }
    }
    return q.append('"').toString();
  }
}
