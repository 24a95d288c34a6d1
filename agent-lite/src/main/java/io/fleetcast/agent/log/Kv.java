package io.fleetcast.agent.log;

/** Builds the {@code key=value} log lines the agent writes: one line per record, values quoted when needed. */
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

  @Override
  public String toString() {
    return sb.toString();
  }

  /** Quotes a value that holds spaces, quotes, '=' or control characters, so a line stays one record. */
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
