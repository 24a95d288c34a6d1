package io.fleetcast.node.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes a batch of results in ONE statement: keeps only results for tasks the agent was
 * really sent (the step was recorded as dispatched to it; a target still waiting for its wave
 * that knows the shared task id is {@link StoreOutcome#REFUSED}), inserts them once per (task, agent) and moves each target along its job
 * (next step, or its final state with a reason), all in the same transaction. A target's
 * job ends at its last step or when a step's {@code continueOn} does not allow the next;
 * the final state is the first step status that was not {@code succeeded}, else succeeded.
 */
public final class ResultStore {

  static final String SQL = """
      WITH r AS (
        SELECT * FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::text[],
                             $7::timestamptz[], $8::timestamptz[], $10::text[])
          AS r(idx, task_id, agent_id, status, exit_code, output, started_at, finished_at, error)
      ), c AS (
        -- sent: this step was dispatched to this agent (recorded before the frame left), an earlier
        -- step of its job, or the result is already stored (a duplicate). A target whose step was
        -- never dispatched to it (not yet released, waiting for its wave, skipped) is refused.
        SELECT r.*, k.rollout_id, k.step, k.continue_on, ro.step_count, (t.agent_id IS NOT NULL) AS targeted,
               COALESCE(t.step > k.step
                 OR (t.step = k.step AND (
                       (t.state IN ('dispatched', 'acked', 'running') AND NOT t.next_step_ready)
                       OR (t.state NOT IN ('pending', 'waking', 'dispatched', 'acked', 'running')
                           AND t.dispatched_at IS NOT NULL)))
                 OR EXISTS (SELECT 1 FROM results x WHERE x.task_id = r.task_id AND x.agent_id = r.agent_id),
                 false) AS sent
        FROM r
        JOIN tasks k ON k.id = r.task_id
        JOIN rollouts ro ON ro.id = k.rollout_id
        LEFT JOIN rollout_targets t ON t.rollout_id = k.rollout_id AND t.agent_id = r.agent_id
      ), v AS (
        SELECT * FROM c WHERE sent
      ), ins AS (
        INSERT INTO results (task_id, agent_id, rollout_id, step, status, exit_code, output, started_at, finished_at,
                             node_id, error)
        SELECT task_id, agent_id, rollout_id, step, status, exit_code, output, started_at, finished_at, $9, error FROM v
        ON CONFLICT (task_id, agent_id) DO NOTHING
        RETURNING task_id, agent_id
      ), d AS (
        SELECT v.*, (v.step + 1 >= v.step_count
                     OR NOT (v.continue_on = 'always'
                             OR (v.continue_on = 'success' AND v.status = 'succeeded')
                             OR (v.continue_on = 'failure' AND v.status <> 'succeeded'))) AS final
        FROM v JOIN ins USING (task_id, agent_id)
      ), upd AS (
        UPDATE rollout_targets t SET
          state = CASE WHEN d.final THEN COALESCE(t.first_failure, d.status) ELSE 'running' END,
          first_failure = COALESCE(t.first_failure, NULLIF(d.status, 'succeeded')),
          -- the agent's error says why when no exit code does (hash mismatch, command not found, timeout)
          reason = CASE WHEN t.first_failure IS NOT NULL THEN t.reason
                        WHEN COALESCE(d.error, '') <> ''
                        THEN format('step %s/%s %s: %s', d.step + 1, d.step_count, d.status, left(d.error, 300))
                             || CASE WHEN d.exit_code IS NULL THEN '' ELSE format(' (exit code %s)', d.exit_code) END
                        ELSE format('step %s/%s %s (exit code %s)', d.step + 1, d.step_count, d.status,
                                    COALESCE(d.exit_code::text, 'none')) END,
          step = CASE WHEN d.final THEN t.step ELSE t.step + 1 END,
          next_step_ready = NOT d.final,
          finished_at = CASE WHEN d.final THEN now() END
        FROM d
        WHERE t.rollout_id = d.rollout_id AND t.agent_id = d.agent_id AND t.step = d.step
          AND t.state IN ('pending', 'waking', 'dispatched', 'acked', 'running')
        RETURNING t.rollout_id
      )
      SELECT v.idx, (i.task_id IS NOT NULL) AS inserted, NULL::uuid AS rollout_id
        FROM v LEFT JOIN ins i USING (task_id, agent_id)
      UNION ALL
      -- refused: inserted is NULL
      SELECT c.idx, NULL::boolean, NULL::uuid FROM c WHERE c.targeted AND NOT c.sent
      UNION ALL
      SELECT DISTINCT NULL::int, NULL::boolean, rollout_id FROM upd
      """;

  private final Pool pool;
  private final String nodeId;
  private final Consumer<Set<UUID>> onRolloutsChanged;

  public ResultStore(Pool pool, String nodeId, Consumer<Set<UUID>> onRolloutsChanged) {
    this.pool = pool;
    this.nodeId = nodeId;
    this.onRolloutsChanged = onRolloutsChanged;
  }

  /** Outcomes in input order. A batch refused by the server is retried row by row so one bad row cannot block the rest. */
  public Future<List<StoreOutcome>> write(List<ResultRow> rows) {
    return writeBatch(rows).recover(err -> {
      if (!isDataError(err) || rows.size() == 1) {
        return isDataError(err) ? Future.succeededFuture(List.of(StoreOutcome.REJECTED)) : Future.failedFuture(err);
      }
      List<Future<List<StoreOutcome>>> singles = new ArrayList<>();
      for (ResultRow row : rows) {
        singles.add(write(List.of(row)));
      }
      return Future.all(singles).map(cf -> {
        List<StoreOutcome> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
          out.add(cf.<List<StoreOutcome>>resultAt(i).get(0));
        }
        return out;
      });
    });
  }

  /**
   * An error caused by the data of some row (the server refused it, or it could not be encoded):
   * retrying the same batch would fail forever. Anything else (connection lost, pool exhausted)
   * is retried by the batcher.
   */
  static boolean isDataError(Throwable err) {
    return err instanceof PgException || err instanceof IllegalArgumentException
        || err instanceof java.time.DateTimeException || err instanceof ClassCastException
        || (err instanceof io.vertx.core.VertxException && String.valueOf(err.getMessage()).contains("coerced"));
  }

  private Future<List<StoreOutcome>> writeBatch(List<ResultRow> rows) {
    int n = rows.size();
    Integer[] idx = new Integer[n];
    UUID[] tasks = new UUID[n];
    UUID[] agents = new UUID[n];
    String[] statuses = new String[n];
    Integer[] codes = new Integer[n];
    String[] outputs = new String[n];
    OffsetDateTime[] started = new OffsetDateTime[n];
    OffsetDateTime[] finished = new OffsetDateTime[n];
    String[] errors = new String[n];
    for (int i = 0; i < n; i++) {
      ResultRow r = rows.get(i);
      idx[i] = i;
      tasks[i] = r.taskId();
      agents[i] = r.agentId();
      statuses[i] = r.status().wire();
      codes[i] = r.exitCode();
      outputs[i] = Text.storable(r.output());
      started[i] = r.startedAt() == null ? null : r.startedAt().atOffset(ZoneOffset.UTC);
      finished[i] = r.finishedAt() == null ? null : r.finishedAt().atOffset(ZoneOffset.UTC);
      errors[i] = r.error() == null || r.error().isEmpty() ? null : Text.storable(r.error());
    }
    Tuple args = Tuple.tuple().addValue(idx).addValue(tasks).addValue(agents).addValue(statuses).addValue(codes)
        .addValue(outputs).addValue(started).addValue(finished).addValue(nodeId).addValue(errors);
    return pool.preparedQuery(SQL).execute(args).map(result -> {
      StoreOutcome[] out = new StoreOutcome[n];
      Arrays.fill(out, StoreOutcome.REJECTED);
      Set<UUID> changed = new HashSet<>();
      for (Row row : result) {
        Integer i = row.getInteger(0);
        if (i != null) {
          Boolean inserted = row.getBoolean(1);
          out[i] = inserted == null ? StoreOutcome.REFUSED : inserted ? StoreOutcome.STORED : StoreOutcome.DUPLICATE;
        } else if (row.getUUID(2) != null) {
          changed.add(row.getUUID(2));
        }
      }
      if (!changed.isEmpty()) {
        onRolloutsChanged.accept(changed);
      }
      return Arrays.asList(out);
    });
  }
}
