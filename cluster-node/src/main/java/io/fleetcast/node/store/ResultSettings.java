package io.fleetcast.node.store;

import io.fleetcast.common.config.FleetcastConfig;

/**
 * The {@code results.*} settings of result ingestion, and how many batches may be written at
 * once (half the pool, at least two, so results never take every connection). The dispatch
 * hold and quiet time are those of {@code io.fleetcast.node.dispatch.DispatchFirstHold}.
 */
public record ResultSettings(int batchRows, int batchMillis, int maxQueuedRows, int batchesInFlight,
    int dispatchHoldMillis, int dispatchQuietMillis) {

  public static ResultSettings from(FleetcastConfig c) {
    return new ResultSettings(c.integer("results.batchRows"), c.integer("results.batchMillis"),
        c.integer("results.maxQueuedRows"), Math.max(2, c.integer("pg.poolSize") / 2),
        c.integer("results.dispatchHoldMillis"), c.integer("results.dispatchQuietMillis"));
  }

  /** Below two batches the drain threshold (half) could never be reached: sockets would stay paused. */
  public int queueLimit() {
    return Math.max(maxQueuedRows, 2 * batchRows);
  }
}
