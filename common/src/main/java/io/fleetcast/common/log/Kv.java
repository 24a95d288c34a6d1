package io.fleetcast.common.log;

/**
 * Builds one structured log line: {@code event=name key=value ...}. Values with spaces or
 * quotes are quoted, so a line stays one record whatever it carries.
 */
public final class Kv {
  private Kv() {}

  public static String event(String event, Object... keyValues) {
    StringBuilder sb = new StringBuilder(64).append("event=").append(event);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      sb.append(' ').append(keyValues[i]).append('=').append(quote(String.valueOf(keyValues[i + 1])));
    }
    return sb.toString();
  }

  static String quote(String s) {
    boolean plain = !s.isEmpty();
    for (int i = 0; i < s.length() && plain; i++) {
      char c = s.charAt(i);
      plain = c > ' ' && c != '"' && c != '=' && c < 127;
    }
    if (plain) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c < ' ' ? ' ' : c);
      }
    }
    return sb.append('"').toString();
  }
}
