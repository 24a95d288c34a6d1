package io.fleetcast.load.runner;

import io.fleetcast.common.db.PgUrl;
import io.fleetcast.common.log.Kv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * The run's own database: created with a unique name on the given server, on the local
 * Postgres at 127.0.0.1:5432 when it answers, or else on an embedded one started from the
 * server jar ({@code fleetcast postgres}); dropped (and the embedded server stopped) at the end.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Database.class.getName());

  private final PgUrl admin;
  private final PgUrl url;
  private final ServerProcess embedded;

  private Database(PgUrl admin, PgUrl url, ServerProcess embedded) {
    this.admin = admin;
    this.url = url;
    this.embedded = embedded;
  }

  /**
   * @param logStatementsMillis when >= 0, the server logs this database's statements slower
   *     than that (a profiling aid: {@code log_min_duration_statement} for this database only)
   */
  public static Database create(String explicitUrl, Path serverJar, Path runDir, long maxSeconds,
      int logStatementsMillis) {
    ServerProcess embedded = null;
    PgUrl admin;
    if (explicitUrl != null) {
      admin = PgUrl.parse(explicitUrl);
    } else {
      PgUrl local = new PgUrl("127.0.0.1", 5432, "postgres", "postgres", "");
      if (Db.answers(local)) {
        admin = local;
      } else {
        embedded = ServerProcess.start("postgres", serverJar, "postgres", List.of("-Xmx128m"),
            Map.of("FLEETCAST_DATA_DIR", runDir.resolve("pg-data").toString()), runDir, maxSeconds);
        admin = awaitEmbeddedUrl(embedded);
      }
    }
    String name = "fcload_" + System.currentTimeMillis() / 1000 + "_" + ThreadLocalRandom.current().nextInt(1000, 9999);
    try (Db db = new Db(admin)) {
      db.exec("CREATE DATABASE " + name);
      if (logStatementsMillis >= 0) {
        db.exec("ALTER DATABASE " + name + " SET log_min_duration_statement = " + logStatementsMillis);
      }
    }
    LOG.info(Kv.event("database.created", "name", name, "server", admin.redacted(), "embedded", embedded != null));
    return new Database(admin, admin.withDatabase(name), embedded);
  }

  private static PgUrl awaitEmbeddedUrl(ServerProcess pg) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : pg.tail(200).split("\n")) {
        if (line.startsWith("FLEETCAST_PG_URL=")) {
          return PgUrl.parse(line.substring("FLEETCAST_PG_URL=".length()).trim());
        }
      }
      if (!pg.alive()) {
        throw new IllegalStateException("embedded Postgres exited:\n" + pg.tail(30));
      }
      Sleep.millis(200);
    }
    throw new IllegalStateException("embedded Postgres did not start within 90 s:\n" + pg.tail(30));
  }

  public PgUrl url() {
    return url;
  }

  public boolean embedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    try (Db db = new Db(admin)) {
      db.count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ?", url.database());
      db.exec("DROP DATABASE IF EXISTS " + url.database());
      LOG.info(Kv.event("database.dropped", "name", url.database()));
    } catch (RuntimeException e) {
      LOG.warning(Kv.event("database.drop_failed", "name", url.database(), "error", e.getMessage()));
    } finally {
      if (embedded != null) {
        embedded.stop(Duration.ofSeconds(10));
      }
    }
  }
}
