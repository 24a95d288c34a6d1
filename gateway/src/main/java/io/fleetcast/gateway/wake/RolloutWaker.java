package io.fleetcast.gateway.wake;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.OnlineMessage;
import io.fleetcast.common.bus.ProgressMessage;
import io.fleetcast.common.log.Kv;
import io.fleetcast.gateway.rollout.RolloutEngine;
import io.fleetcast.gateway.wake.WakePlan.Outcome;
import io.fleetcast.gateway.wake.WakeStore.Released;
import io.fleetcast.gateway.wake.WakeStore.RolloutTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Wake-on-LAN for rollouts with {@code wakeOffline}. When the engine releases a wave it calls
 * {@link #wakeReleased}: the wave's offline targets are planned, the reachable ones marked
 * {@code waking} (with {@code wake_sent_at}) and their packets queued; the others stay
 * {@code pending} with the reason noted. A waking target goes back to {@code pending} when its
 * agent connects (then the engine dispatches it, being asked to tick at once) or after
 * {@code wake.wakingTimeoutSeconds} (then it waits as an ordinary offline target and no longer
 * holds its wave); at {@code expiresAt} the engine expires whatever is still open.
 *
 * <p>Only rollouts this gateway drives (holds the lease of) are touched, so gateways do not
 * repeat each other's work; the periodic sweep also catches a connect that raced with the marking.
 */
public final class RolloutWaker implements RolloutEngine.WakeHook {
  private static final Logger LOG = Logger.getLogger(RolloutWaker.class.getName());
  static final int PAGE = 5000;

  private final Vertx vertx;
  private final WakeStore store;
  private final RelayPlanner planner;
  private final WakeExecutor executor;
  private final WakeMetrics metrics;
  private final WakeSettings settings;
  private final String gatewayId;
  private MessageConsumer<OnlineMessage> online;
  private long sweepTimer = -1;
  /**
   * Whether rollouts this gateway drives may have waking targets: set when targets are marked,
   * refreshed by every sweep. While false, connects cost no query (reconnect storms); a connect
   * the flag misses (a rollout taken over from another gateway) is caught by the next sweep.
   */
  private volatile boolean mayHaveWaking = true;
  private final AtomicLong markings = new AtomicLong();

  public RolloutWaker(Vertx vertx, WakeStore store, RelayPlanner planner, WakeExecutor executor, WakeMetrics metrics,
      WakeSettings settings, String gatewayId) {
    this.vertx = vertx;
    this.store = store;
    this.planner = planner;
    this.executor = executor;
    this.metrics = metrics;
    this.settings = settings;
    this.gatewayId = gatewayId;
  }

  public Future<Void> start() {
    online = vertx.eventBus().consumer(Addresses.ONLINE, this::onOnline);
    long period = Math.max(500, Math.min(5000, settings.wakingTimeoutSeconds() * 1000L / 4));
    sweepTimer = vertx.setPeriodic(period, id -> sweep());
    return online.completion();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(sweepTimer);
    return online == null ? Future.succeededFuture() : online.unregister();
  }

  /** Never fails: a wake that cannot be planned leaves the targets pending, as without wakeOffline. */
  @Override
  public Future<Void> wakeReleased(UUID rolloutId) {
    String requestId = UUID.randomUUID().toString();
    return page(rolloutId, requestId, -1).recover(e -> {
      LOG.warning(Kv.event("wake.rollout_failed", "rollout", rolloutId, "requestId", requestId, "error",
          String.valueOf(e.getMessage())));
      return Future.succeededFuture();
    });
  }

  private Future<Void> page(UUID rolloutId, String requestId, int afterOrdinal) {
    return store.offlineTargetsOfCurrentWave(rolloutId, afterOrdinal, PAGE).compose(rows -> {
      if (rows.isEmpty()) {
        return Future.succeededFuture();
      }
      List<WakeTarget> targets = rows.stream().map(RolloutTarget::target).toList();
      int last = rows.get(rows.size() - 1).ordinal();
      return wake(rolloutId, requestId, targets)
          .compose(v -> rows.size() < PAGE ? Future.succeededFuture() : page(rolloutId, requestId, last));
    });
  }

  private Future<Void> wake(UUID rolloutId, String requestId, List<WakeTarget> targets) {
    return planner.plan(targets, false).compose(plan -> {
      boolean fits = executor.fits(plan.cost(settings.repeats()));
      List<String> reachable = new ArrayList<>();
      List<String> notWoken = new ArrayList<>();
      List<String> why = new ArrayList<>();
      for (Outcome o : plan.outcomes()) {
        if (o.online()) {
          continue; // connected meanwhile: the engine dispatches it
        }
        if (o.unreachable() || !fits) {
          notWoken.add(o.target().agentId());
          why.add(o.unreachable() ? "not woken: " + o.detail() : "not woken: the wake queue is full");
          metrics.unreachable(o.unreachable() ? o.reason() : WakePlan.Reason.queue_full);
        } else {
          reachable.add(o.target().agentId());
        }
      }
      return store.markWaking(rolloutId, reachable)
          .compose(marked -> {
            if (!marked.isEmpty()) {
              markings.incrementAndGet();
              mayHaveWaking = true;
            }
            LOG.info(Kv.event("wake.rollout_wave", "rollout", rolloutId, "requestId", requestId,
                "offline", plan.outcomes().size(), "waking", marked.size(), "notWoken", notWoken.size()));
            // only the marked targets are sent (the others connected meanwhile); unreachable ones are counted above
            return marked.isEmpty() ? Future.succeededFuture()
                : executor.execute(requestId, "rollout:" + rolloutId, plan.onlyAgents(marked), null);
          })
          .compose(v -> store.noteNotWoken(rolloutId, notWoken, why));
    });
  }

  /** Agents connected: their waking targets may be dispatched now. */
  private void onOnline(Message<OnlineMessage> msg) {
    List<UUID> agents = msg.body().agents();
    if (agents.isEmpty() || !mayHaveWaking) {
      return;
    }
    store.connected(agents, gatewayId).onSuccess(this::released)
        .onFailure(e -> LOG.warning(Kv.event("wake.connected_update_failed", "error", String.valueOf(e.getMessage()))));
  }

  private void sweep() {
    long generation = markings.get();
    store.sweep(gatewayId, settings.wakingTimeoutSeconds()).onSuccess(this::released)
        .compose(x -> store.anyWaking(gatewayId))
        .onSuccess(any -> {
          if (any) {
            mayHaveWaking = true;
          } else if (markings.get() == generation) {
            mayHaveWaking = false; // unless targets were marked while the query ran: it may not have seen them
          }
        })
        .onFailure(e -> LOG.warning(Kv.event("wake.sweep_failed", "error", String.valueOf(e.getMessage()))));
  }

  private void released(Collection<Released> rows) {
    if (rows.isEmpty()) {
      return;
    }
    Set<UUID> rollouts = new LinkedHashSet<>();
    int timedOut = 0;
    for (Released r : rows) {
      rollouts.add(r.rolloutId());
      if (!r.connected()) {
        timedOut++;
      }
    }
    if (timedOut > 0) {
      LOG.info(Kv.event("wake.waking_timed_out", "targets", timedOut, "afterSeconds", settings.wakingTimeoutSeconds()));
    }
    // the engine driving these rollouts (this gateway) ticks now and dispatches the connected ones
    vertx.eventBus().publish(Addresses.PROGRESS, ProgressMessage.of(rollouts));
  }
}
