package io.fleetcast.gateway.rollout;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The per-host view of a rollout for the console (SQL only): one sorted, filtered page of
 * targets with hostname, exit code and duration; counts per wave; one host's results. Every
 * read is bounded by a page, so a 100,000-target rollout costs what a 50-target one does on the
 * wire.
 */
public final class HostTable {
  private static final String ROW = """
      SELECT t.agent_id, a.hostname, t.state, t.step, t.reason, t.wave, t.dispatched_at, t.finished_at,
             (SELECT r.exit_code FROM results r WHERE r.rollout_id = t.rollout_id AND r.agent_id = t.agent_id
              ORDER BY r.step DESC LIMIT 1) AS exit_code,
             extract(epoch FROM coalesce(t.finished_at, CASE WHEN t.dispatched_at IS NOT NULL THEN now() END)
                                - t.dispatched_at) AS duration
      FROM rollout_targets t LEFT JOIN agents a ON a.id = t.agent_id
      WHERE t.rollout_id = $1 AND (cardinality($2::text[]) = 0 OR t.state = ANY($2::text[]))
      """;

  /**
   * The same rows for sorting by exit code: every target's last result is needed, so they are read
   * in one ordered pass and joined (a lookup per target costs seconds at 100,000 targets).
   */
  private static final String ROW_BY_EXIT_CODE = """
      SELECT t.agent_id, a.hostname, t.state, t.step, t.reason, t.wave, t.dispatched_at, t.finished_at,
             lr.exit_code,
             extract(epoch FROM coalesce(t.finished_at, CASE WHEN t.dispatched_at IS NOT NULL THEN now() END)
                                - t.dispatched_at) AS duration
      FROM rollout_targets t LEFT JOIN agents a ON a.id = t.agent_id
        LEFT JOIN (SELECT DISTINCT ON (r.agent_id) r.agent_id, r.exit_code FROM results r WHERE r.rollout_id = $1
                   ORDER BY r.agent_id, r.step DESC) lr ON lr.agent_id = t.agent_id
      WHERE t.rollout_id = $1 AND (cardinality($2::text[]) = 0 OR t.state = ANY($2::text[]))
      """;

  private final Pool pool;

  public HostTable(Pool pool) {
    this.pool = pool;
  }

  /** {@code {total, offset, items[]}}: one page; total counts the filtered targets. */
  public Future<JsonObject> page(UUID id, HostQuery q) {
    String[] states = q.states().toArray(new String[0]);
    Future<Integer> total = pool.preparedQuery("SELECT count(*)::int FROM rollout_targets t WHERE t.rollout_id = $1 "
            + "AND (cardinality($2::text[]) = 0 OR t.state = ANY($2::text[]))")
        .execute(Tuple.tuple().addValue(id).addValue(states)).map(rows -> rows.iterator().next().getInteger(0));
    String select = q.sort().equals("exitCode") ? ROW_BY_EXIT_CODE : ROW;
    Future<JsonArray> items = pool.preparedQuery("SELECT * FROM (" + select + ") t ORDER BY " + q.orderBy()
            + " LIMIT $3 OFFSET $4")
        .execute(Tuple.of(id, states, q.limit(), q.offset()))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(host(r)));
          return out;
        });
    return Future.all(total, items).map(x -> new JsonObject().put("total", total.result()).put("offset", q.offset())
        .put("limit", q.limit()).put("items", items.result()));
  }

  /** Every target in the filter, hostname order, {@code chunk} rows per query (the CSV export). */
  public Future<JsonArray> chunk(UUID id, HostQuery q, String afterHost, UUID afterAgent, int chunk) {
    String keyset = afterAgent == null ? "" : " AND (coalesce(t.hostname, ''), t.agent_id) > ($4, $5)";
    Tuple args = Tuple.of(id, q.states().toArray(new String[0]), chunk);
    if (afterAgent != null) {
      args.addValue(afterHost).addValue(afterAgent);
    }
    return pool.preparedQuery("SELECT * FROM (" + ROW
            + ") t WHERE true" + keyset + " ORDER BY coalesce(t.hostname, ''), t.agent_id LIMIT $3")
        .execute(args).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(host(r)));
          return out;
        });
  }

  /** Target counts per wave and state, plus the rollout's limits (failure threshold, window). */
  public Future<JsonObject> waves(UUID id) {
    Future<JsonArray> waves = pool.preparedQuery("SELECT wave, state, count(*)::int FROM rollout_targets "
            + "WHERE rollout_id = $1 GROUP BY wave, state ORDER BY wave NULLS LAST")
        .execute(Tuple.of(id)).map(rows -> {
          JsonArray out = new JsonArray();
          JsonObject cur = null;
          for (Row r : rows) {
            Integer w = r.getInteger(0) == null ? null : r.getInteger(0) + 1;
            if (cur == null || !java.util.Objects.equals(cur.getInteger("wave"), w)) {
              cur = new JsonObject().put("wave", w).put("counts", new JsonObject());
              out.add(cur);
            }
            cur.getJsonObject("counts").put(r.getString(1), r.getInteger(2));
          }
          return out;
        });
    Future<JsonObject> limits = pool.preparedQuery("SELECT max_failure_pct, max_in_flight, wake_offline, "
            + "require_consent FROM rollouts WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row r = rows.iterator().next();
              return new JsonObject().put("maxFailurePercent", r.getValue(0) == null ? null : ((Number) r.getValue(0)).doubleValue())
                  .put("maxInFlight", r.getInteger(1)).put("wakeOffline", r.getBoolean(2))
                  .put("requireConsent", r.getBoolean(3));
            });
    return Future.all(waves, limits).map(x -> limits.result() == null ? null
        : limits.result().put("waves", waves.result()));
  }

  /** One host of a rollout: its target row and every step's result with output. */
  public Future<JsonObject> host(UUID id, UUID agent) {
    Future<JsonObject> target = pool.preparedQuery(ROW + " AND t.agent_id = $3")
        .execute(Tuple.of(id, new String[0], agent))
        .map(rows -> rows.size() == 0 ? null : host(rows.iterator().next()));
    Future<JsonArray> results = pool.preparedQuery("SELECT step, status, exit_code, output, started_at, finished_at "
            + "FROM results WHERE rollout_id = $1 AND agent_id = $2 ORDER BY step")
        .execute(Tuple.of(id, agent)).map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("step", r.getInteger(0)).put("status", r.getString(1))
                .put("exitCode", r.getInteger(2)).put("output", r.getString(3))
                .put("startedAt", RolloutStore.text(r, 4)).put("finishedAt", RolloutStore.text(r, 5)));
          }
          return out;
        });
    return Future.all(target, results).map(x -> target.result() == null ? null
        : target.result().put("results", results.result()));
  }

  private static JsonObject host(Row r) {
    Object d = r.getValue(9);
    return new JsonObject()
        .put("agentId", r.getUUID(0).toString())
        .put("hostname", r.getString(1))
        .put("state", r.getString(2))
        .put("step", r.getInteger(3))
        .put("reason", r.getString(4))
        .put("wave", r.getInteger(5) == null ? null : r.getInteger(5) + 1)
        .put("dispatchedAt", RolloutStore.text(r, 6))
        .put("finishedAt", RolloutStore.text(r, 7))
        .put("exitCode", r.getInteger(8))
        .put("durationSeconds", d == null ? null : Math.round(((Number) d).doubleValue() * 1000) / 1000.0);
  }
}
