package io.fleetcast.gateway.rollout;

import static io.fleetcast.gateway.rollout.RolloutStore.odt;
import static io.fleetcast.gateway.rollout.RolloutStore.text;

import io.fleetcast.gateway.paging.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;

/** What the API reads about rollouts: one rollout with its counts, and pages of rollouts, results and targets. */
public final class RolloutReads {
  private final Pool pool;

  RolloutReads(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonObject> describe(UUID id) {
    return pool.preparedQuery("SELECT id, name, state, state_reason, target_count, created_at, started_at, finished_at, "
            + "created_by, step_count, current_wave, waves, expires_at, start_after FROM rollouts WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(null);
          }
          JsonObject j = rolloutJson(rows.iterator().next());
          return counts(id).map(c -> j.put("counts", c));
        });
  }

  public Future<JsonObject> counts(UUID id) {
    return pool.preparedQuery("SELECT state, count(*)::int FROM rollout_targets WHERE rollout_id = $1 GROUP BY state")
        .execute(Tuple.of(id))
        .map(rows -> {
          JsonObject c = new JsonObject();
          rows.forEach(r -> c.put(r.getString(0), r.getInteger(1)));
          return c;
        });
  }

  static JsonObject rolloutJson(Row r) {
    JsonObject j = new JsonObject()
        .put("id", r.getUUID(0).toString())
        .put("name", r.getString(1))
        .put("state", r.getString(2))
        .put("reason", r.getString(3))
        .put("targets", r.getInteger(4))
        .put("createdAt", text(r, 5))
        .put("startedAt", text(r, 6))
        .put("finishedAt", text(r, 7))
        .put("createdBy", r.getString(8));
    if (r.size() > 9) {
      j.put("steps", r.getInteger(9));
      j.put("currentWave", r.getInteger(10) + 1);
      j.put("waves", new JsonArray(List.of(r.getArrayOfIntegers(11))));
      j.put("expiresAt", text(r, 12));
      j.put("startAfter", text(r, 13));
    }
    return j;
  }

  public Future<JsonObject> list(String state, int limit, Instant afterCreated, UUID afterId) {
    String where = "WHERE ($1::text IS NULL OR state = $1)"
        + (afterId == null ? "" : " AND (created_at, id) < ($3, $4)");
    Tuple args = Tuple.of(state, Page.fetchSize(limit));
    if (afterId != null) {
      args.addValue(odt(afterCreated)).addValue(afterId);
    }
    return pool.preparedQuery("SELECT id, name, state, state_reason, target_count, created_at, started_at, finished_at, "
            + "created_by FROM rollouts " + where + " ORDER BY created_at DESC, id DESC LIMIT $2")
        .execute(args)
        .map(rows -> Page.of(rows, limit, r -> rolloutJson(r), r -> r.getOffsetDateTime(5).toInstant() + "|" + r.getUUID(0)));
  }

  public Future<JsonObject> results(UUID id, String status, int limit, UUID afterAgent, int afterStep) {
    String where = "WHERE r.rollout_id = $1 AND ($2::text IS NULL OR r.status = $2)"
        + (afterAgent == null ? "" : " AND (r.agent_id, r.step) > ($4, $5)");
    Tuple args = Tuple.of(id, status, Page.fetchSize(limit));
    if (afterAgent != null) {
      args.addValue(afterAgent).addValue(afterStep);
    }
    return pool.preparedQuery("SELECT r.agent_id, r.step, r.task_id, r.status, r.exit_code, r.output, r.started_at, "
            + "r.finished_at, r.stored_at, a.hostname, r.error FROM results r LEFT JOIN agents a ON a.id = r.agent_id "
            + where + " ORDER BY r.agent_id, r.step LIMIT $3")
        .execute(args)
        .map(rows -> Page.of(rows, limit, r -> new JsonObject()
            .put("agentId", r.getUUID(0).toString())
            .put("hostname", r.getString(9))
            .put("step", r.getInteger(1))
            .put("taskId", r.getUUID(2).toString())
            .put("status", r.getString(3))
            .put("exitCode", r.getInteger(4))
            .put("error", r.getString(10))
            .put("output", r.getString(5))
            .put("startedAt", text(r, 6))
            .put("finishedAt", text(r, 7))
            .put("storedAt", text(r, 8)), r -> r.getUUID(0) + "|" + r.getInteger(1)));
  }

  /** Every target with its state and reason (the per-host table an operator reads after a rollout). */
  public Future<JsonObject> targets(UUID id, String state, int limit, UUID afterAgent) {
    String where = "WHERE t.rollout_id = $1 AND ($2::text IS NULL OR t.state = $2)"
        + (afterAgent == null ? "" : " AND t.agent_id > $4");
    Tuple args = Tuple.of(id, state, Page.fetchSize(limit));
    if (afterAgent != null) {
      args.addValue(afterAgent);
    }
    return pool.preparedQuery("SELECT t.agent_id, t.state, t.step, t.reason, t.attempts, t.dispatched_at, t.finished_at, "
            + "t.wave, a.hostname FROM rollout_targets t LEFT JOIN agents a ON a.id = t.agent_id "
            + where + " ORDER BY t.agent_id LIMIT $3")
        .execute(args)
        .map(rows -> Page.of(rows, limit, r -> new JsonObject()
            .put("agentId", r.getUUID(0).toString())
            .put("hostname", r.getString(8))
            .put("state", r.getString(1))
            .put("step", r.getInteger(2))
            .put("reason", r.getString(3))
            .put("attempts", r.getInteger(4))
            .put("dispatchedAt", text(r, 5))
            .put("finishedAt", text(r, 6))
            .put("wave", r.getInteger(7) == null ? null : r.getInteger(7) + 1), r -> r.getUUID(0).toString()));
  }

  /** How many rollouts are in each state (for the rollouts-by-state gauge). */
  public Future<java.util.Map<String, Integer>> countByState() {
    return pool.query("SELECT state, count(*)::int FROM rollouts GROUP BY state").execute().map(rows -> {
      java.util.Map<String, Integer> out = new HashMap<>();
      rows.forEach(r -> out.put(r.getString(0), r.getInteger(1)));
      return out;
    });
  }

  /**
   * Agent ids named explicitly that are not enrolled (or revoked), read through {@code client}: inside a
   * transaction pass its connection, never the pool (waiting for a second connection while holding one
   * deadlocks the pool under load).
   */
  public Future<List<String>> unknownAgents(io.vertx.sqlclient.SqlClient client, List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    UUID[] arr = ids.stream().map(UUID::fromString).toArray(UUID[]::new);
    return client.preparedQuery("SELECT x::text FROM unnest($1::uuid[]) x WHERE NOT EXISTS "
            + "(SELECT 1 FROM agents a WHERE a.id = x AND a.revoked_at IS NULL)")
        .execute(Tuple.tuple().addValue(arr))
        .map(rows -> {
          List<String> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getString(0)));
          return out;
        });
  }
}
