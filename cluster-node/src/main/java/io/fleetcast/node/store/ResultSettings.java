package io.fleetcast.node.store;

import io.fleetcast.common.config.FleetcastConfig;

/**
 * The {@code results.*} settings of result ingestion, and how many batches may be written at
 * once (half the pool, at least two, so results never take every connection).
 */
public record ResultSettings(int batchRows, int batchMillis, int maxQueuedRows, int batchesInFlight) {

  public static ResultSettings from(FleetcastConfig c) {
    return new ResultSettings(c.integer("results.batchRows"), c.integer("results.batchMillis"),
        c.integer("results.maxQueuedRows"), Math.max(2, c.integer("pg.poolSize") / 2));
  }

  /** Below two batches the drain threshold (half) could never be reached: sockets would stay paused. */
  public int queueLimit() {
    return Math.max(maxQueuedRows, 2 * batchRows);
  }
}
