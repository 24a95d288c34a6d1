package io.fleetcast.gateway.wake;

import io.fleetcast.common.runtime.ServerContext;
import io.fleetcast.common.wake.RelayIndex;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.rollout.Dispatcher;
import io.fleetcast.gateway.rollout.RolloutEngine;
import io.fleetcast.gateway.wake.api.WakeApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Wake-on-LAN in a gateway, wired in one place: the relay planner over the cluster's relay
 * index, the paced executor, the API route, and the rollout hook.
 * {@code Gateway} builds one, hands {@link #rolloutHook} to the rollout engine, mounts
 * {@link #mount} and starts and stops it with itself.
 */
public final class WakeModule {
  private final WakeExecutor executor;
  private final RolloutWaker rollouts;
  private final WakeApi api;
  private final RelayIndex index;

  /** @param index the relay index, opened off the event loop ({@link io.fleetcast.common.cluster.ClusterMaps}) */
  public WakeModule(ServerContext context, RelayIndex index, Dispatcher dispatcher, AuditLog audit, WakeSettings settings,
      String gatewayId) {
    Vertx vertx = context.vertx();
    this.index = index;
    WakeMetrics metrics = new WakeMetrics(context.registry());
    WakeStore store = new WakeStore(context.pool());
    RelayPlanner planner = RelayPlanner.of(settings, index, context.locations());
    this.executor = new WakeExecutor(vertx, settings, dispatcher, new DirectSender(vertx), metrics);
    this.rollouts = new RolloutWaker(vertx, store, planner, executor, metrics, settings, gatewayId);
    this.api = new WakeApi(store, planner, executor, audit, metrics, settings);
  }

  /** What the rollout engine calls when it releases a wave of a rollout with {@code wakeOffline}. */
  public RolloutEngine.WakeHook rolloutHook() {
    return rollouts;
  }

  /** {@code POST /api/v1/wake}, for the app to mount. */
  public WakeApi api() {
    return api;
  }

  /**
   * Drops a departed node's relay-index entries (its agents reconnect elsewhere and are published
   * again there); conditional per entry, so idempotent. Called by the membership watcher.
   */
  public Future<Integer> purgeNode(String nodeId) {
    return index.purgeNode(nodeId);
  }

  public Future<Void> start() {
    return executor.start().compose(v -> rollouts.start());
  }

  public Future<Void> stop() {
    return Future.join(rollouts.stop(), executor.stop()).mapEmpty();
  }
}
