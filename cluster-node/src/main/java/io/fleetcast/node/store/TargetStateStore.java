package io.fleetcast.node.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Records {@code ack} (-> acked) and {@code progress} (-> running) of targets, in batches. Only
 * a target the step was dispatched to moves: the engine records a dispatch before the frame
 * leaves, so an ack for a target still {@code pending} (e.g. a later-wave target that learnt the
 * step's task id, which every target shares) is refused and counted.
 */
public final class TargetStateStore {

  /** One acknowledgement or progress report of an agent for a task. */
  public record StateChange(UUID taskId, UUID agentId, boolean running) {}

  /**
   * Rows another transaction holds are skipped, not waited for: that is a result batch of the
   * same agents (ack and result travel back to back), which moves the target past acked anyway.
   * Waiting instead deadlocked against result batches that lock the same rows in another order.
   * An ack skipped on a row locked for another reason only costs a redispatch, which the agent
   * answers from its stored result. The second part counts reports for a step that was never
   * dispatched to the reporting target (refused).
   */
  static final String SQL = """
      WITH a AS (
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::boolean[]) AS a(task_id, agent_id, running)
      ), l AS (
        SELECT t2.rollout_id, t2.agent_id, a.running
        FROM a
        JOIN tasks k ON k.id = a.task_id
        JOIN rollout_targets t2 ON t2.rollout_id = k.rollout_id AND t2.agent_id = a.agent_id AND t2.step = k.step
        WHERE (t2.state = 'dispatched' OR (a.running AND t2.state = 'acked')) AND NOT t2.next_step_ready
        FOR UPDATE OF t2 SKIP LOCKED
      ), upd AS (
        UPDATE rollout_targets t
        SET state = CASE WHEN l.running THEN 'running' ELSE 'acked' END,
            acked_at = COALESCE(t.acked_at, now())
        FROM l
        WHERE t.rollout_id = l.rollout_id AND t.agent_id = l.agent_id
        RETURNING t.rollout_id
      )
      SELECT rollout_id, false AS refused FROM upd
      UNION ALL
      SELECT NULL::uuid, true
      FROM a
      JOIN tasks k ON k.id = a.task_id
      JOIN rollout_targets t3 ON t3.rollout_id = k.rollout_id AND t3.agent_id = a.agent_id AND t3.step = k.step
      WHERE t3.state IN ('pending', 'waking') OR (t3.state = 'running' AND t3.next_step_ready)
      """;

  private final Pool pool;
  private final Consumer<Set<UUID>> onRolloutsChanged;
  private final IntConsumer onRefused;

  public TargetStateStore(Pool pool, Consumer<Set<UUID>> onRolloutsChanged) {
    this(pool, onRolloutsChanged, n -> {});
  }

  public TargetStateStore(Pool pool, Consumer<Set<UUID>> onRolloutsChanged, IntConsumer onRefused) {
    this.pool = pool;
    this.onRolloutsChanged = onRolloutsChanged;
    this.onRefused = onRefused;
  }

  public Future<List<Void>> write(List<StateChange> changes) {
    Map<String, StateChange> strongest = new LinkedHashMap<>();
    for (StateChange c : changes) {
      strongest.merge(c.taskId() + "/" + c.agentId(), c, (a, b) -> a.running() ? a : b);
    }
    int n = strongest.size();
    UUID[] tasks = new UUID[n];
    UUID[] agents = new UUID[n];
    Boolean[] running = new Boolean[n];
    int i = 0;
    for (StateChange c : strongest.values()) {
      tasks[i] = c.taskId();
      agents[i] = c.agentId();
      running[i] = c.running();
      i++;
    }
    return pool.preparedQuery(SQL).execute(Tuple.tuple().addValue(tasks).addValue(agents).addValue(running)).map(rows -> {
      Set<UUID> changed = new HashSet<>();
      int refused = 0;
      for (Row r : rows) {
        if (Boolean.TRUE.equals(r.getBoolean(1))) {
          refused++;
        } else {
          changed.add(r.getUUID(0));
        }
      }
      if (refused > 0) {
        onRefused.accept(refused);
      }
      if (!changed.isEmpty()) {
        onRolloutsChanged.accept(changed);
      }
      return Collections.nCopies(changes.size(), (Void) null);
    });
  }
}
