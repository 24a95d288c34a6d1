package io.fleetcast.protocol.log;

import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per record, {@code time level=.. logger=.. event=.. key=value}, for the servers and the
 * agent alike. Our own messages are already {@link Kv} lines; anything else (a library's message)
 * becomes {@code msg="..."}. A throwable adds {@code error=}, and from WARNING up a short
 * {@code stack=} (stack traces are multi-line by nature, so only the first frames, on one line).
 */
public final class KeyValueFormatter extends Formatter {
  private final int stackFrames;

  /** @param stackFrames how many frames of a WARNING-or-worse throwable to keep */
  public KeyValueFormatter(int stackFrames) {
    this.stackFrames = stackFrames;
  }

  @Override
  public String format(LogRecord r) {
    StringBuilder sb = new StringBuilder(160);
    sb.append(Instant.ofEpochMilli(r.getMillis())).append(" level=").append(r.getLevel().getName())
        .append(" logger=").append(shortName(r.getLoggerName())).append(' ');
    String msg = formatMessage(r);
    if (msg != null && msg.startsWith("event=")) {
      sb.append(msg);
    } else {
      sb.append("msg=").append(Kv.quote(msg == null ? "" : msg));
    }
    Throwable t = r.getThrown();
    if (t != null) {
      sb.append(" error=").append(Kv.quote(t.getClass().getName() + ": " + t.getMessage()));
      if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
        sb.append(" stack=").append(Kv.quote(stackOf(t)));
      }
    }
    return sb.append('\n').toString();
  }

  private static String shortName(String name) {
    if (name == null) {
      return "-";
    }
    return name.startsWith("io.fleetcast.") ? name.substring("io.fleetcast.".length()) : name;
  }

  private String stackOf(Throwable t) {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    for (StackTraceElement e : t.getStackTrace()) {
      if (n++ == stackFrames) {
        sb.append(" ...");
        break;
      }
      sb.append(n == 1 ? "" : " < ").append(e);
    }
    return sb.toString();
  }
}
