package io.fleetcast.node.store;

import io.fleetcast.common.rollout.TargetTransitions;
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
 * the final state is the first step status that was not {@code succeeded}, else succeeded. The
 * statement is {@link TargetTransitions#RESULT_BATCH}, with every other target transition.
 */
public final class ResultStore {

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

  /** The parameters of {@link TargetTransitions#RESULT_BATCH} for {@code rows}, as this node sends them. */
  static Tuple batchArgs(List<ResultRow> rows, String nodeId) {
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
    return Tuple.tuple().addValue(idx).addValue(tasks).addValue(agents).addValue(statuses).addValue(codes)
        .addValue(outputs).addValue(started).addValue(finished).addValue(nodeId).addValue(errors);
  }

  private Future<List<StoreOutcome>> writeBatch(List<ResultRow> rows) {
    int n = rows.size();
    Tuple args = batchArgs(rows, nodeId);
    return pool.preparedQuery(TargetTransitions.RESULT_BATCH).execute(args).map(result -> {
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
