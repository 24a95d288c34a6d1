package io.fleetcast.agent.log;

import io.fleetcast.protocol.log.KeyValueFormatter;
import java.util.logging.Handler;
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
    h.setFormatter(new KeyValueFormatter(8));
    h.setLevel(Level.ALL);
    root.addHandler(h);
    root.setLevel(level);
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
  }
}
