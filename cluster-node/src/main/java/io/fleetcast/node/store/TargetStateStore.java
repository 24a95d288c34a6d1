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

  /** One acknowledgement or progress report of an agent for a task ({@code percent}: of a progress frame, or null). */
  public record StateChange(UUID taskId, UUID agentId, boolean running, Integer percent) {
    public StateChange(UUID taskId, UUID agentId, boolean running) {
      this(taskId, agentId, running, null);
    }
  }

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
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::boolean[], $4::smallint[]) AS a(task_id, agent_id, running, percent)
      ), l AS (
        SELECT t2.rollout_id, t2.agent_id, a.running, a.percent, t2.state AS before
        FROM a
        JOIN tasks k ON k.id = a.task_id
        JOIN rollout_targets t2 ON t2.rollout_id = k.rollout_id AND t2.agent_id = a.agent_id AND t2.step = k.step
        WHERE NOT t2.next_step_ready AND (t2.state = 'dispatched' OR (a.running AND t2.state = 'acked')
                                          OR (a.running AND t2.state = 'running' AND a.percent IS NOT NULL))
        FOR UPDATE OF t2 SKIP LOCKED
      ), upd AS (
        UPDATE rollout_targets t
        SET state = CASE WHEN l.running THEN 'running' ELSE 'acked' END,
            acked_at = COALESCE(t.acked_at, now()),
            progress = COALESCE(l.percent, t.progress)
        FROM l
        WHERE t.rollout_id = l.rollout_id AND t.agent_id = l.agent_id
        RETURNING t.rollout_id, l.before
      )
      SELECT rollout_id, false AS refused, before FROM upd
      UNION ALL
      SELECT NULL::uuid, true, NULL::text
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
      // running beats acked; of two progress reports, the higher percent (a download only moves forward)
      strongest.merge(c.taskId() + "/" + c.agentId(), c, (a, b) -> !a.running() ? b : !b.running() ? a
          : (b.percent() != null && (a.percent() == null || b.percent() > a.percent()) ? b : a));
    }
    int n = strongest.size();
    UUID[] tasks = new UUID[n];
    UUID[] agents = new UUID[n];
    Boolean[] running = new Boolean[n];
    Short[] percent = new Short[n];
    int i = 0;
    for (StateChange c : strongest.values()) {
      tasks[i] = c.taskId();
      agents[i] = c.agentId();
      running[i] = c.running();
      percent[i] = c.percent() == null ? null : (short) Math.max(0, Math.min(100, c.percent()));
      i++;
    }
    return pool.preparedQuery(SQL).execute(Tuple.tuple().addValue(tasks).addValue(agents).addValue(running)
        .addValue(percent)).map(rows -> {
      Set<UUID> changed = new HashSet<>();
      int refused = 0;
      for (Row r : rows) {
        if (Boolean.TRUE.equals(r.getBoolean(1))) {
          refused++;
        } else if (!"running".equals(r.getString(2))) {
          changed.add(r.getUUID(0)); // a percent-only update changes no count: no progress event for it
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
