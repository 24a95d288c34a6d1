package io.fleetcast.gateway.rollout;

import io.fleetcast.common.rollout.SqlStates;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Rollout ownership: a lease row per rollout in Postgres, renewed by the gateway that drives it. */
public final class RolloutLeases {
  private final Pool pool;

  RolloutLeases(Pool pool) {
    this.pool = pool;
  }

  /**
   * Renews the leases of rollouts this gateway drives and claims up to {@code maxNew} orphans
   * (never owned, or whose owner's lease lapsed: that gateway is gone). Postgres decides, not
   * a Hazelcast lock, so two sides of a partition cannot both drive one rollout.
   */
  public Future<List<UUID>> claim(String owner, int leaseSeconds, int maxNew) {
    Future<RowSet<Row>> renewed = pool.preparedQuery(SqlStates.rollouts("""
            UPDATE rollouts SET lease_until = now() + make_interval(secs => $2)
            WHERE owner = $1 AND (state IN {unhalted} OR (state = {halted} AND finished_at IS NULL))
              AND lease_until >= now()
            RETURNING id""")).execute(Tuple.of(owner, leaseSeconds));
    return renewed.compose(own -> pool.preparedQuery(SqlStates.rollouts("""
            UPDATE rollouts SET owner = $1, lease_until = now() + make_interval(secs => $2)
            WHERE id IN (SELECT id FROM rollouts
                         WHERE (state IN {unhalted} OR (state = {halted} AND finished_at IS NULL))
                           AND (owner IS NULL OR lease_until < now())
                         ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING id""")).execute(Tuple.of(owner, leaseSeconds, maxNew))
        .map(claimed -> {
          List<UUID> out = new ArrayList<>();
          own.forEach(r -> out.add(r.getUUID(0)));
          claimed.forEach(r -> out.add(r.getUUID(0)));
          return out;
        }));
  }

  public Future<Void> release(String owner) {
    return pool.preparedQuery("UPDATE rollouts SET owner = NULL, lease_until = NULL WHERE owner = $1")
        .execute(Tuple.of(owner)).mapEmpty();
  }
}
