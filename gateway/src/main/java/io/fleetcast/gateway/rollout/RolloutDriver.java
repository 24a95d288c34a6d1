package io.fleetcast.gateway.rollout;

import io.fleetcast.common.bus.FanOutPart;
import io.fleetcast.common.log.Kv;
import io.fleetcast.common.rollout.RolloutState;
import io.fleetcast.common.rollout.TargetState;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.fleetcast.gateway.rollout.RolloutStore.RolloutRow;
import io.fleetcast.gateway.rollout.RolloutStore.TargetStep;
import io.fleetcast.gateway.rollout.RolloutStore.TaskRecord;
import io.fleetcast.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ticks one rollout for {@link RolloutEngine}: one tick at a time, requests during a tick coalesce into one more.
 * Runs on the engine verticle's context.
 */
final class RolloutDriver {
  private static final Logger LOG = Logger.getLogger(RolloutDriver.class.getName());

  private final RolloutEngine engine;
  private final RolloutStore store;
  private final Dispatcher dispatcher;
  private final GatewayMetrics metrics;
  private final RolloutEngine.Options options;
  private final UUID id;
  private boolean ticking;
  private boolean again;
  /** The next tick has work waiting (the next chunk of targets to resolve): no coalescing delay. */
  private boolean soon;
  boolean redispatchStale;
  private Map<Integer, TaskRecord> tasks;

  RolloutDriver(RolloutEngine engine, UUID id) {
    this.engine = engine;
    this.store = engine.store();
    this.dispatcher = engine.dispatcher();
    this.metrics = engine.metrics();
    this.options = engine.options();
    this.id = id;
  }

  /**
   * A rollout this gateway just created: sends what its creating transaction claimed (the first
   * frames leave now, before the rest of the targets are resolved), then ticks.
   */
  void start(TargetResolver.Chunk first, List<TaskRecord> created, RolloutService.CreateTiming timing) {
    List<RolloutStore.PendingTarget> claimed = first.claimed();
    if (tasks == null) {
      Map<Integer, TaskRecord> byStep = new HashMap<>();
      created.forEach(t -> byStep.put(t.step(), t));
      tasks = byStep;
    }
    sendClaimed(claimed, first.part());
    long asked = timing.askedNanos();
    if (asked != 0 && !claimed.isEmpty()) {
      // time to first byte, server side: API request -> the first frames handed to the nodes, and
      // how much of it was waiting for a connection (and BEGIN) and the creating transaction
      long now = System.nanoTime();
      LOG.info(Kv.event("rollout.first_sent", "rollout", id, "targets", claimed.size(), "sinceRequestMs",
          ms(now - asked), "transactionMs", ms(timing.committedNanos() - asked), "connectionMs",
          ms(timing.begunNanos() - asked), "afterCommitMs", ms(now - timing.committedNanos())));
    }
    request();
  }

  private static String ms(long nanos) {
    return String.format("%.1f", nanos / 1e6);
  }

  void request() {
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    Future<Void> f;
    try {
      f = tick();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(Level.WARNING, Kv.event("rollout.tick_failed", "rollout", id, "error", String.valueOf(ar.cause())),
            ar.cause());
      }
      ticking = false;
      if (again) {
        again = false;
        if (soon) {
          soon = false;
          engine.engineVertx().runOnContext(v -> request());
        } else {
          // coalesce bursts of results into one tick every few milliseconds
          engine.engineVertx().setTimer(20, t -> request());
        }
      }
    });
  }

  private Future<Void> tick() {
    return store.load(id).compose(row -> {
      if (row == null || RolloutState.FINAL.contains(row.state()) || !options.gatewayId().equals(row.owner())) {
        engine.forget(id);
        return Future.succeededFuture();
      }
      return taskFrames().compose(t -> step(row));
    });
  }

  private Future<Map<Integer, TaskRecord>> taskFrames() {
    if (tasks != null) {
      return Future.succeededFuture(tasks);
    }
    return store.tasks(id).map(t -> tasks = t);
  }

  private Future<Void> step(RolloutRow row) {
    Instant now = Instant.now();
    if (!now.isBefore(row.expiresAt())) {
      return expire(row);
    }
    switch (row.state()) {
      case SCHEDULED:
        if (row.startAfter() != null && now.isBefore(row.startAfter())) {
          return row.resolving() ? resolve(new TargetResolver.Budget(releaseInResolution(row), 0)) : Future.succeededFuture();
        }
        return store.setState(store.pool(), id, RolloutState.SCHEDULED, RolloutState.RUNNING, null)
            .compose(changed -> {
              if (changed) {
                engine.stateChanged(id, RolloutState.RUNNING);
                again = true;
              }
              return Future.succeededFuture();
            });
      case PAUSED:
        return row.resolving() ? resolve(new TargetResolver.Budget(releaseInResolution(row), 0)) : Future.succeededFuture();
      case HALTED:
        return dispatchNextSteps().compose(v -> store.progress(id, row.targetCount(), RolloutStore.Detail.COUNTS))
            .compose(p -> {
              if (p.allTerminal()) {
                engine.forget(id);
                return store.markFinished(id).onSuccess(v -> engine.announce(id));
              }
              return Future.succeededFuture();
            });
      case RUNNING:
        return running(row);
      default:
        return Future.succeededFuture();
    }
  }

  private Future<Void> running(RolloutRow row) {
    WavePolicy policy = new WavePolicy(row.waves(), row.maxInFlight(), row.maxFailurePercent());
    if (row.resolving()) {
      return resolving(row, policy);
    }
    if (row.currentWave() < 0) {
      // the first wave was picked when the targets were resolved: go straight on to dispatch it
      return release(row, policy, 0).compose(v -> running(row.atWave(0)));
    }
    RolloutStore.Detail detail = policy.needsWindow(row.currentWave()) ? RolloutStore.Detail.WINDOW
        : RolloutStore.Detail.COUNTS;
    return store.progress(id, row.targetCount(), detail).compose(p -> {
      WavePolicy.Decision d = policy.decide(row.currentWave(), p);
      switch (d.action()) {
        case HALT:
          return halt(d.reason());
        case COMPLETE:
          return complete();
        case ADVANCE_WAVE:
          return release(row, policy, d.nextWave());
        default:
          // next steps of started jobs and new targets touch different rows: both at once
          return Future.join(dispatchNextSteps(), dispatchPending(d.dispatchBudget()))
              .compose(v -> redispatchStale ? redispatch() : Future.succeededFuture());
      }
    });
  }

  /**
   * While targets are still being resolved: the next chunk, its online targets claimed within the
   * in-flight window and sent at once. Only a halt is decided meanwhile; waves advance and the
   * rollout completes once every target is known.
   */
  private Future<Void> resolving(RolloutRow row, WavePolicy policy) {
    if (row.maxInFlight() == null && row.maxFailurePercent() == null) {
      return resolve(new TargetResolver.Budget(releaseInResolution(row), Integer.MAX_VALUE));
    }
    return store.progress(id, row.targetCount()).compose(p -> {
      WavePolicy.Decision d = policy.decide(0, p);
      if (d.action() == WavePolicy.Action.HALT) {
        return halt(d.reason());
      }
      int window = row.maxInFlight() == null ? Integer.MAX_VALUE : Math.max(0, row.maxInFlight() - p.inFlight());
      return resolve(new TargetResolver.Budget(releaseInResolution(row), window));
    });
  }

  /** A first wave of every target is released as it is resolved; a share of them once the total is known. */
  private static int releaseInResolution(RolloutRow row) {
    return row.waves().get(0) >= 100 ? Integer.MAX_VALUE : 0;
  }

  private Future<Void> resolve(TargetResolver.Budget budget) {
    return store.resolver().next(id, budget).map(chunk -> {
      sendClaimed(chunk.claimed(), chunk.part());
      again = true;
      soon = !chunk.done();
      if (chunk.done()) {
        LOG.info(Kv.event("rollout.resolved", "rollout", id, "targets", chunk.resolved()));
        // off the request path: until autovacuum runs, result batches would be planned for a nearly empty table
        store.refreshStatistics(chunk.resolved());
      }
      return (Void) null;
    });
  }

  /**
   * Sends targets claimed while they were resolved (all at step 0), without waiting: the next
   * chunk is resolved while these frames go out. What no node holds goes back to pending.
   */
  private void sendClaimed(List<RolloutStore.PendingTarget> claimed, FanOutPart part) {
    if (claimed.isEmpty()) {
      return;
    }
    Map<String, List<UUID>> byNode = new HashMap<>();
    for (RolloutStore.PendingTarget t : claimed) {
      byNode.computeIfAbsent(t.nodeId(), k -> new ArrayList<>()).add(t.agentId());
    }
    sendVia(0, byNode, part).compose(out -> store.undeliverable(id, out.notConnected()))
        .onFailure(e -> LOG.warning(Kv.event("rollout.dispatch_failed", "rollout", id, "error", e.getMessage())));
  }

  private Future<Void> release(RolloutRow row, WavePolicy policy, int wave) {
    int cap = policy.cap(wave, row.targetCount());
    return store.releaseWave(id, wave, cap).compose(n -> {
      LOG.info(Kv.event("rollout.wave_started", "rollout", id, "wave", wave + 1, "of", policy.waveCount(),
          "released", n, "cap", cap));
      again = true;
      return row.wakeOffline() ? engine.wake().wakeReleased(id) : Future.succeededFuture();
    });
  }

  /**
   * Sends released pending targets of online agents, up to {@code budget}: claim them as
   * dispatched (with the node each agent's presence names) in one statement, then send. The
   * record comes first because nodes accept acks and results only from targets a step was
   * dispatched to; what did not arrive goes back to pending.
   */
  private Future<Void> dispatchPending(int budget) {
    if (budget <= 0) {
      return Future.succeededFuture();
    }
    int n = Math.min(budget, RolloutEngine.MAX_DISPATCH_BATCH);
    return store.claimPending(id, n).compose(batch -> {
      if (batch.isEmpty()) {
        return Future.succeededFuture();
      }
      Map<Integer, Map<String, List<UUID>>> byStepAndNode = new HashMap<>();
      for (RolloutStore.PendingTarget t : batch) {
        byStepAndNode.computeIfAbsent(t.step(), k -> new HashMap<>())
            .computeIfAbsent(t.nodeId(), k -> new ArrayList<>()).add(t.agentId());
      }
      List<Future<Dispatcher.Outcome>> sends = new ArrayList<>();
      FanOutPart part = batch.size() == n && budget > n ? FanOutPart.MORE_TO_COME : FanOutPart.LAST;
      byStepAndNode.forEach((step, byNode) -> sends.add(sendVia(step, byNode, part)));
      return Future.join(sends).transform(ar -> {
        List<UUID> back = new ArrayList<>();
        sends.stream().filter(Future::succeeded).forEach(f -> back.addAll(f.result().notConnected()));
        return store.undeliverable(id, back);
      }).compose(v -> batch.size() == n && budget > n ? dispatchPending(budget - n) : Future.succeededFuture());
    });
  }

  private Future<Dispatcher.Outcome> sendVia(int step, Map<String, List<UUID>> byNode, FanOutPart part) {
    return taskFrames().compose(t -> {
      TaskRecord task = t.get(step);
      return task == null ? Future.failedFuture("rollout " + id + " has no step " + step)
          : dispatcher.sendVia(MessageType.TASK, engine.released(task), byNode, part);
    });
  }

  private Future<Void> dispatchNextSteps() {
    return store.claimNextSteps(id, options.chunk()).compose(claimed -> {
      List<Future<Void>> sends = new ArrayList<>();
      RolloutEngine.bySteps(claimed).forEach((step, ids) -> sends.add(send(step, ids)));
      return Future.join(sends).mapEmpty();
    });
  }

  private Future<Void> redispatch() {
    redispatchStale = false;
    return store.staleDispatched(id, options.redispatchSeconds()).compose(stale -> {
      if (stale.isEmpty()) {
        return Future.succeededFuture();
      }
      metrics.redispatched(stale.size());
      List<Future<Void>> sends = new ArrayList<>();
      RolloutEngine.bySteps(stale).forEach((step, ids) -> sends.add(send(step, ids)));
      return Future.join(sends).mapEmpty();
    });
  }

  Future<Void> send(int step, List<UUID> agents) {
    return taskFrames().compose(t -> {
      TaskRecord task = t.get(step);
      if (task == null) {
        return Future.failedFuture("rollout " + id + " has no step " + step);
      }
      return dispatcher.send(MessageType.TASK, engine.released(task), agents)
          .compose(out -> store.undeliverable(id, out.notConnected()));
    });
  }

  private Future<Void> halt(String reason) {
    return store.pool().withTransaction(tx -> store.setState(tx, id, RolloutState.RUNNING, RolloutState.HALTED, reason)
            .compose(changed -> changed
                ? store.skipNotHandedOut(tx, id, "rollout halted: " + reason)
                : Future.succeededFuture()))
        .map(x -> {
          engine.stateChanged(id, RolloutState.HALTED);
          LOG.info(Kv.event("rollout.halted", "rollout", id, "reason", reason));
          return (Void) null;
        });
  }

  private Future<Void> complete() {
    return store.anyExpired(id).compose(expired -> {
      RolloutState to = expired ? RolloutState.EXPIRED : RolloutState.COMPLETED;
      return store.setState(store.pool(), id, RolloutState.RUNNING, to, expired ? "some targets expired" : null)
          .map(changed -> {
            if (changed) {
              engine.stateChanged(id, to);
              engine.forget(id);
              LOG.info(Kv.event("rollout.finished", "rollout", id, "state", to.wire()));
            }
            return (Void) null;
          });
    });
  }

  private Future<Void> expire(RolloutRow row) {
    String reason = "rollout expired at " + row.expiresAt() + " before the target finished";
    return store.pool().withTransaction(tx -> store.finishOpenTargets(tx, id, TargetState.EXPIRED, reason)
            .compose(inFlight -> {
              RolloutState to = row.state() == RolloutState.HALTED ? RolloutState.HALTED : RolloutState.EXPIRED;
              Future<Boolean> st = to == row.state() ? Future.succeededFuture(true)
                  : store.setState(tx, id, row.state(), to, "expired at " + row.expiresAt());
              return st.map(x -> inFlight);
            }))
        .compose(inFlight -> {
          engine.stateChanged(id, RolloutState.EXPIRED);
          engine.forget(id);
          LOG.info(Kv.event("rollout.expired", "rollout", id, "inFlightCancelled", inFlight.size()));
          return cancelOnAgents(inFlight);
        })
        .compose(v -> row.state() == RolloutState.HALTED ? store.markFinished(id) : Future.succeededFuture());
  }

  Future<Void> cancelOnAgents(List<TargetStep> inFlight) {
    return taskFrames().compose(t -> {
      List<Future<?>> sends = new ArrayList<>();
      RolloutEngine.bySteps(inFlight).forEach((step, ids) -> {
        TaskRecord task = t.get(step);
        if (task != null) {
          sends.add(dispatcher.send(MessageType.CANCEL, engine.signer().cancel(task.taskId().toString()).encode(), ids));
        }
      });
      return Future.join(sends).mapEmpty();
    });
  }
}

