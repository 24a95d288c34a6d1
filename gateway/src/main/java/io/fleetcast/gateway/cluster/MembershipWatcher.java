package io.fleetcast.gateway.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.fleetcast.common.cluster.HazelcastSettings;
import io.fleetcast.common.location.AgentLocationRegistry;
import io.fleetcast.common.log.Kv;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * When a member leaves the cluster (crash or shutdown), purges the agent locations of the
 * node it ran and marks its agents offline in Postgres, so that routing stops pointing at a
 * dead node; the agents reconnect elsewhere and re-register. Every gateway does it; the work
 * is idempotent.
 */
public final class MembershipWatcher implements MembershipListener {
  private static final Logger LOG = Logger.getLogger(MembershipWatcher.class.getName());

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final AgentLocationRegistry locations;
  private final Pool pool;
  private final GatewayMetrics metrics;
  private UUID registration;
  private final java.util.List<java.util.function.Function<String, Future<Integer>>> alsoPurge =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public MembershipWatcher(Vertx vertx, HazelcastInstance hz, AgentLocationRegistry locations, Pool pool,
      GatewayMetrics metrics) {
    this.vertx = vertx;
    this.hz = hz;
    this.locations = locations;
    this.pool = pool;
    this.metrics = metrics;
  }

  public void start() {
    registration = hz.getCluster().addMembershipListener(this);
  }

  /** Other soft state keyed by node (the wake relay index) to purge with a departed node's locations. */
  public MembershipWatcher alsoPurge(java.util.function.Function<String, Future<Integer>> purger) {
    alsoPurge.add(purger);
    return this;
  }

  public void stop() {
    if (registration != null && hz.getLifecycleService().isRunning()) {
      hz.getCluster().removeMembershipListener(registration);
    }
  }

  @Override
  public void memberAdded(MembershipEvent e) {
    LOG.info(Kv.event("cluster.member_added", "member", e.getMember().getUuid(), "members", e.getMembers().size()));
  }

  @Override
  public void memberRemoved(MembershipEvent e) {
    String memberId = e.getMember().getUuid().toString();
    LOG.warning(Kv.event("cluster.member_removed", "member", memberId, "members", e.getMembers().size()));
    vertx.executeBlocking(() -> {
      IMap<String, String> memberNodes = hz.getMap(HazelcastSettings.MEMBER_NODES_MAP);
      String node = memberNodes.get(memberId);
      return node == null ? memberId : node;
    }, false).compose(this::purge).onFailure(err -> LOG.warning(Kv.event("cluster.purge_failed", "member", memberId,
        "error", err.getMessage())));
  }

  public Future<Integer> purge(String nodeId) {
    alsoPurge.forEach(p -> p.apply(nodeId).onFailure(err -> LOG.warning(Kv.event("cluster.purge_failed", "node", nodeId,
        "error", String.valueOf(err.getMessage())))));
    return locations.purgeNode(nodeId).compose(n -> {
      metrics.purged(n);
      return pool.preparedQuery("UPDATE agents SET online = false WHERE online AND node_id = $1")
          .execute(Tuple.of(nodeId))
          .map(r -> {
            LOG.info(Kv.event("cluster.node_purged", "node", nodeId, "locations", n, "agentsOffline", r.rowCount()));
            return n;
          });
    });
  }
}
