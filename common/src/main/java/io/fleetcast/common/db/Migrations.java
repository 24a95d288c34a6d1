package io.fleetcast.common.db;

import io.fleetcast.common.log.Kv;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;

/** Brings the schema up to date with Flyway (blocking; run at start, off the event loop). */
public final class Migrations {
  private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

  private Migrations() {}

  public static void migrate(PgUrl url) {
    var result = Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .connectRetries(10)
        .load()
        .migrate();
    LOG.info(Kv.event("schema.migrated", "applied", result.migrationsExecuted, "version",
        result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion));
  }
}
