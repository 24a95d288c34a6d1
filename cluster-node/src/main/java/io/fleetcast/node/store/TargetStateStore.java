package io.fleetcast.node.store;

import io.fleetcast.common.rollout.TargetState;
import io.fleetcast.common.rollout.TargetTransitions;
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
 * step's task id, which every target shares) is refused and counted. The statement is
 * {@link TargetTransitions#ACK_OR_PROGRESS}, with every other target transition.
 */
public final class TargetStateStore {

  /** One acknowledgement or progress report of an agent for a task ({@code percent}: of a progress frame, or null). */
  public record StateChange(UUID taskId, UUID agentId, boolean running, Integer percent) {
    public StateChange(UUID taskId, UUID agentId, boolean running) {
      this(taskId, agentId, running, null);
    }
  }

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
    return pool.preparedQuery(TargetTransitions.ACK_OR_PROGRESS)
        .execute(Tuple.tuple().addValue(tasks).addValue(agents).addValue(running).addValue(percent)).map(rows -> {
      Set<UUID> changed = new HashSet<>();
      int refused = 0;
      for (Row r : rows) {
        if (Boolean.TRUE.equals(r.getBoolean(1))) {
          refused++;
        } else if (!TargetState.RUNNING.is(r.getString(2))) {
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
