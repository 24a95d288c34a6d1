package io.fleetcast.common.log;

import io.fleetcast.protocol.log.KeyValueFormatter;
import java.util.logging.StreamHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes every log (ours, Vert.x, Netty, Hazelcast and SLF4J users via slf4j-jdk14) to one
 * line per record on stderr in {@code key=value} form. Usable as
 * {@code -Djava.util.logging.config.class=io.fleetcast.common.log.LogSetup}.
 */
public final class LogSetup {

  // JUL holds loggers weakly: without these references the levels set below would be forgotten
  private static final java.util.List<Logger> PINNED = new java.util.ArrayList<>();

  public LogSetup() {
    install(Level.INFO);
  }

  public static void install(Level level) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    // a StreamHandler over stderr; ConsoleHandler.setOutputStream would close System.err itself
    Handler h = new StreamHandler(System.err, new KeyValueFormatter(12)) {
      @Override
      public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
      }

      @Override
      public synchronized void close() {
        flush();
      }
    };
    h.setLevel(Level.ALL);
    root.addHandler(h);
    root.setLevel(level);
    // chatty third parties: their INFO is our DEBUG
    pin("com.hazelcast", level.intValue() <= Level.FINE.intValue() ? level : Level.WARNING);
    pin("io.netty", Level.WARNING);
    pin("org.flywaydb", Level.WARNING);
    pin("io.zonky", Level.WARNING);
    // Micrometer warns once per duplicate gauge that Vert.x itself registers twice
    pin("io.micrometer.core.instrument.MeterRegistry", Level.SEVERE);
  }

  private static void pin(String name, Level level) {
    Logger l = Logger.getLogger(name);
    l.setLevel(level);
    synchronized (PINNED) {
      PINNED.add(l);
    }
  }

  public static void install(String level) {
    install(Level.parse(level == null ? "INFO" : level.toUpperCase()));
  }
}
