package io.fleetcast.common.db;

import io.fleetcast.common.config.FleetcastConfig;
import java.nio.file.Path;

/**
 * The {@code pg.*} settings and the data directory the embedded Postgres lives in.
 *
 * @param url the external Postgres, or null (embedded, where the role allows it)
 */
public record DatabaseSettings(PgUrl url, int poolSize, int maxWaitQueue, int healthTimeoutMillis, int embeddedPort,
    Path dataDir) {

  public static DatabaseSettings from(FleetcastConfig c) {
    return new DatabaseSettings(c.isSet("pg.url") ? PgUrl.parse(c.string("pg.url")) : null, c.integer("pg.poolSize"),
        c.integer("pg.maxWaitQueue"), c.integer("pg.healthTimeoutMillis"), c.integer("pg.embeddedPort"),
        Path.of(c.string("dataDir")));
  }
}
