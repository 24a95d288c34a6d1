package io.fleetcast.agent.log;

import java.time.Instant;
import java.util.logging.Handler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per record on stderr, {@code time level logger event=... key=value}. The agent keeps
 * to java.util.logging so that it needs no logging library. Usable as
 * {@code -Djava.util.logging.config.class=io.fleetcast.agent.log.AgentLogging}.
 */
public final class AgentLogging {

  public AgentLogging() {
    install(Level.parse(System.getProperty("fleetcast.log.level", "INFO")));
  }

  public static void install(Level level) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    // not ConsoleHandler + setOutputStream: that closes the previous stream, which is System.err itself
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (isLoggable(r)) {
          System.err.print(getFormatter().format(r));
        }
      }

      @Override
      public void flush() {
        System.err.flush();
      }

      @Override
      public void close() {
        flush();
      }
    };
    h.setFormatter(new LineFormatter());
    h.setLevel(Level.ALL);
    root.addHandler(h);
    root.setLevel(level);
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
  }

  static final class LineFormatter extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder sb = new StringBuilder(160).append(Instant.ofEpochMilli(r.getMillis())).append(" level=")
          .append(r.getLevel().getName()).append(" logger=").append(shortName(r.getLoggerName())).append(' ');
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
          StringBuilder st = new StringBuilder();
          StackTraceElement[] trace = t.getStackTrace();
          for (int i = 0; i < Math.min(8, trace.length); i++) {
            st.append(i == 0 ? "" : " < ").append(trace[i]);
          }
          sb.append(" stack=").append(Kv.quote(st.toString()));
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
  }
}
