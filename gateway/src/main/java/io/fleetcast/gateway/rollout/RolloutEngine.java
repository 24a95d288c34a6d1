package io.fleetcast.gateway.rollout;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.log.Kv;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.fleetcast.gateway.rollout.RolloutStore.RolloutRow;
import io.fleetcast.gateway.rollout.RolloutStore.TargetStep;
import io.fleetcast.gateway.rollout.RolloutStore.TaskRecord;
import io.fleetcast.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
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
 * Drives the rollouts this gateway holds a lease on: starts scheduled ones, releases waves,
 * dispatches within the in-flight window, sends next steps of jobs, halts on failures,
 * expires and completes. Work is triggered by results and acks stored by nodes, by agents
 * coming online, and by a periodic pass; Postgres is the truth, so a tick can always be
 * repeated and another gateway can take over a rollout mid-way.
 *
 * <p>All engine state lives on this verticle's context.
 */
public final class RolloutEngine extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(RolloutEngine.class.getName());

  /** Engine settings; {@code releaseTtl} is the lifetime of each signed task release. */
  public record Options(String gatewayId, long tickMillis, int leaseSeconds, int redispatchSeconds, int chunk,
      java.time.Duration releaseTtl) {}

  /** Hook for Wake-on-LAN: wakes offline targets of a newly released wave. */
  public interface WakeHook {
    Future<Void> wakeReleased(UUID rolloutId);

    WakeHook NONE = id -> Future.succeededFuture();
  }

  private final RolloutStore store;
  private final TaskSigner signer;
  private final Dispatcher dispatcher;
  private final GatewayMetrics metrics;
  private final Options options;
  private final WakeHook wake;
  private final Map<UUID, Driver> owned = new HashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private long lastRedispatchScan;
  /** Most targets read and sent in one go; bounds memory on very large rollouts. */
  static final int MAX_DISPATCH_BATCH = 50_000;

  public RolloutEngine(RolloutStore store, TaskSigner signer, Dispatcher dispatcher, GatewayMetrics metrics,
      Options options, WakeHook wake) {
    this.store = store;
    this.signer = signer;
    this.dispatcher = dispatcher;
    this.metrics = metrics;
    this.options = options;
    this.wake = wake;
  }

  @Override
  public Future<?> start() {
    MessageConsumer<JsonObject> progress = vertx.eventBus().consumer(Addresses.PROGRESS, this::onProgress);
    MessageConsumer<JsonObject> online = vertx.eventBus().consumer(Addresses.ONLINE, this::onOnline);
    consumers.add(progress);
    consumers.add(online);
    timers.add(vertx.setPeriodic(Math.max(1000, options.leaseSeconds() * 1000L / 3), id -> renewLeases()));
    timers.add(vertx.setPeriodic(options.tickMillis(), id -> tickAll()));
    return Future.all(progress.completion(), online.completion()).compose(v -> renewLeases());
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    List<Future<Void>> fs = new ArrayList<>();
    consumers.forEach(c -> fs.add(c.unregister()));
    return Future.join(fs).compose(v -> store.leases().release(options.gatewayId()));
  }

  /** Takes a rollout this gateway just created (its lease is already ours) and ticks it at once. */
  public void adopt(UUID id) {
    vertx.runOnContext(v -> driver(id).request());
  }

  /** Asks for a tick of the rollout if this gateway drives it. */
  public void poke(UUID id) {
    vertx.runOnContext(v -> {
      Driver d = owned.get(id);
      if (d != null) {
        d.request();
      }
    });
  }

  public int ownedCount() {
    return owned.size();
  }

  private Driver driver(UUID id) {
    return owned.computeIfAbsent(id, Driver::new);
  }

  private Future<Void> renewLeases() {
    return store.leases().claim(options.gatewayId(), options.leaseSeconds(), 100)
        .onSuccess(ids -> {
          Set<UUID> now = new HashSet<>(ids);
          owned.keySet().removeIf(id -> !now.contains(id));
          for (UUID id : ids) {
            if (!owned.containsKey(id)) {
              LOG.info(Kv.event("rollout.adopted", "rollout", id, "gateway", options.gatewayId()));
              driver(id).request();
            }
          }
        })
        .onFailure(e -> LOG.warning(Kv.event("rollout.lease_failed", "error", e.getMessage())))
        .mapEmpty();
  }

  private void tickAll() {
    boolean scan = System.currentTimeMillis() - lastRedispatchScan >= options.redispatchSeconds() * 1000L;
    if (scan) {
      lastRedispatchScan = System.currentTimeMillis();
    }
    for (Driver d : new ArrayList<>(owned.values())) {
      if (scan) {
        d.redispatchStale = true;
      }
      d.request();
    }
  }

  /**
   * Counts a state change and announces it on the progress address: nodes publish progress
   * only when targets change, so without this an SSE subscriber never hears that the rollout
   * completed, halted or expired after its last result.
   */
  private void stateChanged(UUID id, String to) {
    metrics.transition(to);
    announce(id);
  }

  private void announce(UUID id) {
    vertx.eventBus().publish(Addresses.PROGRESS,
        new JsonObject().put("rollouts", new io.vertx.core.json.JsonArray().add(id.toString())));
  }

  private void onProgress(Message<JsonObject> msg) {
    for (Object o : msg.body().getJsonArray("rollouts")) {
      Driver d = owned.get(UUID.fromString((String) o));
      if (d != null) {
        d.request();
      }
    }
  }

  /** Agents came online: send what they are owed now rather than at the next periodic pass. */
  private void onOnline(Message<JsonObject> msg) {
    if (owned.isEmpty()) {
      return;
    }
    List<UUID> agents = new ArrayList<>();
    for (Object o : msg.body().getJsonArray("agents")) {
      agents.add(UUID.fromString((String) o));
    }
    store.openTargetsOf(agents, options.gatewayId()).onSuccess(rows -> {
      Map<UUID, Map<Integer, List<UUID>>> resend = new HashMap<>();
      Set<UUID> toTick = new HashSet<>();
      for (Row r : rows) {
        UUID rollout = r.getUUID(0);
        String state = r.getString(3);
        if (TargetState.DISPATCHED.equals(state)) {
          resend.computeIfAbsent(rollout, k -> new HashMap<>()).computeIfAbsent(r.getInteger(2), k -> new ArrayList<>())
              .add(r.getUUID(1));
        } else if (TargetState.PENDING.equals(state) || TargetState.WAKING.equals(state) || TargetState.RUNNING.equals(state)) {
          toTick.add(rollout);
        }
      }
      resend.forEach((rollout, bySteps) -> {
        Driver d = owned.get(rollout);
        if (d != null) {
          bySteps.forEach((step, ids) -> {
            metrics.redispatched(ids.size());
            d.send(step, ids);
          });
        }
      });
      toTick.forEach(id -> {
        Driver d = owned.get(id);
        if (d != null) {
          d.request();
        }
      });
    }).onFailure(e -> LOG.warning(Kv.event("rollout.online_lookup_failed", "error", e.getMessage())));
  }

  /** The per-rollout tick loop: one tick at a time, requests during a tick coalesce into one more. */
  private final class Driver {
    private final UUID id;
    private boolean ticking;
    private boolean again;
    boolean redispatchStale;
    private Map<Integer, TaskRecord> tasks;

    Driver(UUID id) {
      this.id = id;
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
          // coalesce bursts of results into one tick every few milliseconds
          vertx.setTimer(20, t -> request());
        }
      });
    }

    private Future<Void> tick() {
      return store.load(id).compose(row -> {
        if (row == null || RolloutState.FINAL.contains(row.state()) || !options.gatewayId().equals(row.owner())) {
          owned.remove(id);
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
        case RolloutState.SCHEDULED:
          if (row.startAfter() != null && now.isBefore(row.startAfter())) {
            return Future.succeededFuture();
          }
          return store.setState(store.pool(), id, RolloutState.SCHEDULED, RolloutState.RUNNING, null)
              .compose(changed -> {
                if (changed) {
                  stateChanged(id, RolloutState.RUNNING);
                  again = true;
                }
                return Future.succeededFuture();
              });
        case RolloutState.PAUSED:
          return Future.succeededFuture();
        case RolloutState.HALTED:
          return dispatchNextSteps().compose(v -> store.progress(id, row.targetCount())).compose(p -> {
            if (p.allTerminal()) {
              owned.remove(id);
              return store.markFinished(id).onSuccess(v -> announce(id));
            }
            return Future.succeededFuture();
          });
        case RolloutState.RUNNING:
          return running(row);
        default:
          return Future.succeededFuture();
      }
    }

    private Future<Void> running(RolloutRow row) {
      WavePolicy policy = new WavePolicy(row.waves(), row.maxInFlight(), row.maxFailurePercent());
      if (row.currentWave() < 0) {
        // the first wave was picked when the targets were resolved: go straight on to dispatch it
        return release(row, policy, 0).compose(v -> running(row.atWave(0)));
      }
      return store.progress(id, row.targetCount()).compose(p -> {
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

    private Future<Void> release(RolloutRow row, WavePolicy policy, int wave) {
      int cap = policy.cap(wave, row.targetCount());
      return store.releaseWave(id, wave, cap).compose(n -> {
        LOG.info(Kv.event("rollout.wave_started", "rollout", id, "wave", wave + 1, "of", policy.waveCount(),
            "released", n, "cap", cap));
        again = true;
        return row.wakeOffline() ? wake.wakeReleased(id) : Future.succeededFuture();
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
      int n = Math.min(budget, MAX_DISPATCH_BATCH);
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
        byStepAndNode.forEach((step, byNode) -> sends.add(sendVia(step, byNode)));
        return Future.join(sends).transform(ar -> {
          List<UUID> back = new ArrayList<>();
          sends.stream().filter(Future::succeeded).forEach(f -> back.addAll(f.result().notConnected()));
          return store.undeliverable(id, back);
        }).compose(v -> batch.size() == n && budget > n ? dispatchPending(budget - n) : Future.succeededFuture());
      });
    }

    private Future<Dispatcher.Outcome> sendVia(int step, Map<String, List<UUID>> byNode) {
      return taskFrames().compose(t -> {
        TaskRecord task = t.get(step);
        return task == null ? Future.failedFuture("rollout " + id + " has no step " + step)
            : dispatcher.sendVia(MessageType.TASK, released(task), byNode);
      });
    }

    private Future<Void> dispatchNextSteps() {
      return store.claimNextSteps(id, options.chunk()).compose(claimed -> {
        List<Future<Void>> sends = new ArrayList<>();
        bySteps(claimed).forEach((step, ids) -> sends.add(send(step, ids)));
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
        bySteps(stale).forEach((step, ids) -> sends.add(send(step, ids)));
        return Future.join(sends).mapEmpty();
      });
    }

    Future<Void> send(int step, List<UUID> agents) {
      return taskFrames().compose(t -> {
        TaskRecord task = t.get(step);
        if (task == null) {
          return Future.failedFuture("rollout " + id + " has no step " + step);
        }
        return dispatcher.send(MessageType.TASK, released(task), agents)
            .compose(out -> store.undeliverable(id, out.notConnected()));
      });
    }

    private Future<Void> halt(String reason) {
      return store.pool().withTransaction(tx -> store.setState(tx, id, RolloutState.RUNNING, RolloutState.HALTED, reason)
              .compose(changed -> changed
                  ? store.finishOpenTargets(tx, id, TargetState.SKIPPED, "rollout halted: " + reason, false)
                  : Future.succeededFuture(List.<TargetStep>of())))
          .map(x -> {
            stateChanged(id, RolloutState.HALTED);
            LOG.info(Kv.event("rollout.halted", "rollout", id, "reason", reason));
            return (Void) null;
          });
    }

    private Future<Void> complete() {
      return store.anyExpired(id).compose(expired -> {
        String to = expired ? RolloutState.EXPIRED : RolloutState.COMPLETED;
        return store.setState(store.pool(), id, RolloutState.RUNNING, to, expired ? "some targets expired" : null)
            .map(changed -> {
              if (changed) {
                stateChanged(id, to);
                owned.remove(id);
                LOG.info(Kv.event("rollout.finished", "rollout", id, "state", to));
              }
              return (Void) null;
            });
      });
    }

    private Future<Void> expire(RolloutRow row) {
      String reason = "rollout expired at " + row.expiresAt() + " before the target finished";
      return store.pool().withTransaction(tx -> store.finishOpenTargets(tx, id, TargetState.EXPIRED, reason, true)
              .compose(inFlight -> {
                String to = RolloutState.HALTED.equals(row.state()) ? RolloutState.HALTED : RolloutState.EXPIRED;
                Future<Boolean> st = to.equals(row.state()) ? Future.succeededFuture(true)
                    : store.setState(tx, id, row.state(), to, "expired at " + row.expiresAt());
                return st.map(x -> inFlight);
              }))
          .compose(inFlight -> {
            stateChanged(id, RolloutState.EXPIRED);
            owned.remove(id);
            LOG.info(Kv.event("rollout.expired", "rollout", id, "inFlightCancelled", inFlight.size()));
            return cancelOnAgents(inFlight);
          })
          .compose(v -> RolloutState.HALTED.equals(row.state()) ? store.markFinished(id) : Future.succeededFuture());
    }

    Future<Void> cancelOnAgents(List<TargetStep> inFlight) {
      return taskFrames().compose(t -> {
        List<Future<?>> sends = new ArrayList<>();
        bySteps(inFlight).forEach((step, ids) -> {
          TaskRecord task = t.get(step);
          if (task != null) {
            sends.add(dispatcher.send(MessageType.CANCEL, signer.cancel(task.taskId().toString()).encode(), ids));
          }
        });
        return Future.join(sends).mapEmpty();
      });
    }
  }

  /** Sends {@code cancel} for the given in-flight targets of a rollout (used by the cancel API on any gateway). */
  public Future<Void> cancelOnAgents(UUID rolloutId, List<TargetStep> inFlight) {
    return new Driver(rolloutId).cancelOnAgents(inFlight);
  }

  /**
   * The task's frame with a fresh signed release: agents start a task only with a release that has
   * not passed, and one is signed only here, while the rollout is being driven (not halted, paused,
   * cancelled or expired). One signature per dispatch message; the stored frame is not changed.
   */
  private String released(TaskRecord task) {
    JsonObject frame = new JsonObject(task.frame());
    return frame.put("release", signer.release(task.taskId().toString(), options.releaseTtl()).toJson()).encode();
  }

  static Map<Integer, List<UUID>> bySteps(List<TargetStep> targets) {
    Map<Integer, List<UUID>> out = new HashMap<>();
    for (TargetStep t : targets) {
      out.computeIfAbsent(t.step(), k -> new ArrayList<>()).add(t.agentId());
    }
    return out;
  }
}
