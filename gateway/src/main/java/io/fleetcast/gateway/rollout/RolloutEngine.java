package io.fleetcast.gateway.rollout;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.OnlineMessage;
import io.fleetcast.common.bus.ProgressMessage;
import io.fleetcast.common.log.Kv;
import io.fleetcast.common.rollout.RolloutState;
import io.fleetcast.common.rollout.TargetState;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.fleetcast.gateway.rollout.RolloutStore.RolloutRow;
import io.fleetcast.gateway.rollout.RolloutStore.TargetStep;
import io.fleetcast.gateway.rollout.RolloutStore.TaskRecord;
import io.fleetcast.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
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
  private final ReleasedFrames releasedFrames;
  private final Dispatcher dispatcher;
  private final GatewayMetrics metrics;
  private final Options options;
  private final WakeHook wake;
  private final Map<UUID, RolloutDriver> owned = new HashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private long lastRedispatchScan;
  /** Most targets read and sent in one go; bounds memory on very large rollouts. */
  static final int MAX_DISPATCH_BATCH = 50_000;

  public RolloutEngine(RolloutStore store, TaskSigner signer, Dispatcher dispatcher, GatewayMetrics metrics,
      Options options, WakeHook wake) {
    this.store = store;
    this.signer = signer;
    this.releasedFrames = new ReleasedFrames(signer, options.releaseTtl());
    this.dispatcher = dispatcher;
    this.metrics = metrics;
    this.options = options;
    this.wake = wake;
  }

  @Override
  public Future<?> start() {
    MessageConsumer<ProgressMessage> progress = vertx.eventBus().consumer(Addresses.PROGRESS, this::onProgress);
    MessageConsumer<OnlineMessage> online = vertx.eventBus().consumer(Addresses.ONLINE, this::onOnline);
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

  /**
   * Takes a rollout this gateway just created (its lease is already ours): sends the targets its
   * creating transaction claimed, then ticks it, which resolves the rest of its targets.
   */
  public void adopt(RolloutService.Created c) {
    adopt(c, RolloutService.CreateTiming.NONE);
  }

  /** {@link #adopt(RolloutService.Created)}, with when the API was asked and its transaction ran (logged with the first send). */
  void adopt(RolloutService.Created c, RolloutService.CreateTiming timing) {
    context.runOnContext(v -> driver(c.id()).start(c.first(), c.tasks(), timing));
  }

  /** Asks for a tick of the rollout if this gateway drives it. */
  public void poke(UUID id) {
    context.runOnContext(v -> {
      RolloutDriver d = owned.get(id);
      if (d != null) {
        d.request();
      }
    });
  }

  public int ownedCount() {
    return owned.size();
  }

  private RolloutDriver driver(UUID id) {
    return owned.computeIfAbsent(id, k -> new RolloutDriver(this, k));
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
    for (RolloutDriver d : new ArrayList<>(owned.values())) {
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
  void stateChanged(UUID id, RolloutState to) {
    metrics.transition(to.wire());
    announce(id);
  }

  void announce(UUID id) {
    vertx.eventBus().publish(Addresses.PROGRESS, ProgressMessage.of(id));
  }

  private void onProgress(Message<ProgressMessage> msg) {
    for (UUID rollout : msg.body().rollouts()) {
      RolloutDriver d = owned.get(rollout);
      if (d != null) {
        d.request();
      }
    }
  }

  /** Agents came online: send what they are owed now rather than at the next periodic pass. */
  private void onOnline(Message<OnlineMessage> msg) {
    if (owned.isEmpty()) {
      return;
    }
    List<UUID> agents = msg.body().agents();
    store.openTargetsOf(agents, options.gatewayId()).onSuccess(rows -> {
      Map<UUID, Map<Integer, List<UUID>>> resend = new HashMap<>();
      Set<UUID> toTick = new HashSet<>();
      for (Row r : rows) {
        UUID rollout = r.getUUID(0);
        TargetState state = TargetState.of(r.getString(3));
        if (state == TargetState.DISPATCHED) {
          resend.computeIfAbsent(rollout, k -> new HashMap<>()).computeIfAbsent(r.getInteger(2), k -> new ArrayList<>())
              .add(r.getUUID(1));
        } else if (state == TargetState.PENDING || state == TargetState.WAKING || state == TargetState.RUNNING) {
          toTick.add(rollout);
        }
      }
      resend.forEach((rollout, bySteps) -> {
        RolloutDriver d = owned.get(rollout);
        if (d != null) {
          bySteps.forEach((step, ids) -> {
            metrics.redispatched(ids.size());
            d.send(step, ids);
          });
        }
      });
      toTick.forEach(id -> {
        RolloutDriver d = owned.get(id);
        if (d != null) {
          d.request();
        }
      });
    }).onFailure(e -> LOG.warning(Kv.event("rollout.online_lookup_failed", "error", e.getMessage())));
  }

  /** Sends {@code cancel} for the given in-flight targets of a rollout (used by the cancel API on any gateway). */
  public Future<Void> cancelOnAgents(UUID rolloutId, List<TargetStep> inFlight) {
    return new RolloutDriver(this, rolloutId).cancelOnAgents(inFlight);
  }

  /**
   * The task's frame with a fresh signed release: agents start a task only with a release that has
   * not passed, and one is signed only here, while the rollout is being driven (not halted, paused,
   * cancelled or expired). At most one signature per task per second, shared by the dispatch
   * messages of that second ({@link ReleasedFrames}); the stored frame is not changed.
   */
  String released(TaskRecord task) {
    return releasedFrames.frame(task);
  }

  /** A driver is done with its rollout (finished, or no longer ours). */
  void forget(UUID id) {
    owned.remove(id);
  }

  RolloutStore store() {
    return store;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  Options options() {
    return options;
  }

  WakeHook wake() {
    return wake;
  }

  TaskSigner signer() {
    return signer;
  }

  io.vertx.core.Vertx engineVertx() {
    return vertx;
  }

  static Map<Integer, List<UUID>> bySteps(List<TargetStep> targets) {
    Map<Integer, List<UUID>> out = new HashMap<>();
    for (TargetStep t : targets) {
      out.computeIfAbsent(t.step(), k -> new ArrayList<>()).add(t.agentId());
    }
    return out;
  }
}
