package io.fleetcast.common.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the one shared, bounded reactive Postgres pool of a process. */
public final class Pools {
  private Pools() {}

  public static Pool create(Vertx vertx, PgUrl url, DatabaseSettings settings) {
    return create(vertx, url, settings.poolSize(), settings.maxWaitQueue());
  }

  public static Pool create(Vertx vertx, PgUrl url, int size, int maxWaitQueue) {
    PoolOptions options = new PoolOptions()
        .setMaxSize(size)
        // the PgClient default is unbounded; bounded, an overload fails fast instead of growing the heap
        .setMaxWaitQueueSize(maxWaitQueue)
        .setName("fleetcast-pg")
        .setShared(true)
        .setIdleTimeout(60)
        .setConnectionTimeout(10);
    return PgBuilder.pool().with(options).connectingTo(url.connectOptions()).using(vertx).build();
  }
}
