package io.fleetcast.node.store;

import io.fleetcast.common.db.Pools;
import io.fleetcast.common.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A migrated test database, a pool on it, and plain-SQL fixtures for rollouts, tasks and targets. */
final class StoreDb implements AutoCloseable {
  final TestDatabase db;
  final Pool pool;

  StoreDb(Vertx vertx) {
    db = TestDatabase.create();
    pool = Pools.create(vertx, db.url(), 4, 100);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  List<Row> query(String sql, Object... args) {
    List<Row> out = new ArrayList<>();
    await(pool.preparedQuery(sql).execute(Tuple.from(args))).forEach(out::add);
    return out;
  }

  Row one(String sql, Object... args) {
    List<Row> rows = query(sql, args);
    if (rows.size() != 1) {
      throw new IllegalStateException("expected one row, got " + rows.size() + ": " + sql);
    }
    return rows.get(0);
  }

  /** A running rollout with one task per entry of {@code continueOn}; yields the task ids by step. */
  List<UUID> rollout(UUID rolloutId, String... continueOn) {
    query("INSERT INTO rollouts (id, name, state, request, step_count, expires_at) "
        + "VALUES ($1, 'test', 'running', '{}'::jsonb, $2, now() + interval '1 day')", rolloutId, continueOn.length);
    List<UUID> tasks = new ArrayList<>();
    for (int step = 0; step < continueOn.length; step++) {
      UUID task = UUID.randomUUID();
      query("INSERT INTO tasks (id, rollout_id, step, kind, spec, continue_on, deadline) "
          + "VALUES ($1, $2, $3, 'exec', '{\"command\":\"x\"}'::jsonb, $4, now() + interval '1 day')",
          task, rolloutId, step, continueOn[step]);
      tasks.add(task);
    }
    return tasks;
  }

  /** A released target in {@code state}; any state past pending/waking means the step was dispatched to it. */
  void target(UUID rolloutId, UUID agentId, String state, int step) {
    query("INSERT INTO rollout_targets (rollout_id, agent_id, ordinal, wave, state, step, dispatched_at) "
        + "VALUES ($1, $2, 0, 0, $3, $4, CASE WHEN $3 IN ('pending', 'waking') THEN NULL ELSE now() END)",
        rolloutId, agentId, state, step);
  }

  /** As the engine does when it claims a job's next step: the step is dispatched, no longer just due. */
  void nextStepSent(UUID rolloutId, UUID agentId) {
    query("UPDATE rollout_targets SET next_step_ready = false, dispatched_at = now() WHERE rollout_id = $1 AND agent_id = $2",
        rolloutId, agentId);
  }

  Row target(UUID rolloutId, UUID agentId) {
    return one("SELECT state, step, next_step_ready, first_failure, reason, finished_at, acked_at, progress FROM rollout_targets "
        + "WHERE rollout_id = $1 AND agent_id = $2", rolloutId, agentId);
  }

  @Override
  public void close() {
    await(pool.close());
    db.close();
  }
}
