package io.fleetcast.gateway.rollout;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * Refreshes the planner's statistics of the target table after a large rollout is resolved, when
 * they are too old to plan its result batches. Autovacuum would take up to a minute, and
 * meanwhile every result batch of the new rollout was planned for a table the planner believed
 * nearly empty (measured: seconds-long result commit tails in the first fan-out after start).
 *
 * <p>Only then: the planner scales the row count it knows by the table's current size in pages,
 * so statistics taken of a table with at least as many rows as the rollout added stay good
 * enough (the periodic {@code PlannerStatistics} pass catches up as autovacuum would). An
 * {@code ANALYZE} after every rollout cost 8 % of Postgres's time during back-to-back 10,000-target
 * fan-outs (100 ms each, while the results were being written), and on a table with years of
 * history it reads a 30,000-row sample every time.
 */
final class TargetStatistics {
  /** Smaller rollouts never trigger an analyze. */
  static final int MIN_TARGETS = 1000;

  private final Pool pool;

  TargetStatistics(Pool pool) {
    this.pool = pool;
  }

  /** Whether statistics that know of {@code knownRows} rows (-1: never analyzed) are too old for {@code newTargets} more. */
  static boolean outdated(double knownRows, int newTargets) {
    return newTargets >= MIN_TARGETS && knownRows < newTargets;
  }

  /** Analyzes the target table if its statistics are outdated; yields whether it did. Failures are ignored (autovacuum remains). */
  Future<Boolean> refresh(int newTargets) {
    if (newTargets < MIN_TARGETS) {
      return Future.succeededFuture(false);
    }
    return pool.query("SELECT reltuples::float8 FROM pg_class WHERE oid = 'rollout_targets'::regclass").execute()
        .compose(rows -> {
          double known = rows.size() == 0 ? -1 : rows.iterator().next().getDouble(0);
          if (!outdated(known, newTargets)) {
            return Future.succeededFuture(false);
          }
          return pool.query("ANALYZE rollout_targets").execute().map(true);
        })
        .recover(e -> Future.succeededFuture(false));
  }
}
