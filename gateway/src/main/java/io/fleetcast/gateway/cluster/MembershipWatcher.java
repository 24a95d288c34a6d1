package io.fleetcast.gateway.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.fleetcast.common.cluster.HazelcastSettings;
import io.fleetcast.common.cluster.LiveNodes;
import io.fleetcast.common.cluster.Quorum;
import io.fleetcast.common.location.AgentLocationRegistry;
import io.fleetcast.common.log.Kv;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Keeps presence true to the membership. When a member leaves (crash, shutdown, cut off), purges
 * the agent locations of the node it ran and marks its agents offline; at start, on every
 * membership change and periodically, marks offline every agent whose row names a node that is
 * not a live member (a full restart leaves rows naming nodes that no longer exist). Every gateway
 * does it; the work is idempotent.
 *
 * <p>The member's node id comes from its member attribute, which survives a split-brain merge's
 * new member UUID. Postgres is shared by both sides of a partition, so a gateway that does not
 * see a quorum changes no presence: it may be the side that is cut off.
 */
public final class MembershipWatcher implements MembershipListener {
  private static final Logger LOG = Logger.getLogger(MembershipWatcher.class.getName());
  /** Rows written this recently are left to the next sweep: their node may have joined after the member list was read. */
  static final int SWEEP_GRACE_SECONDS = 5;
  static final long SWEEP_PERIOD_MILLIS = 15_000;
  static final String SWEEP_SQL = """
      UPDATE agents SET online = false
      WHERE online AND (node_id IS NULL OR NOT (node_id = ANY($1::text[])))
        AND last_seen < now() - make_interval(secs => $2)""";

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final AgentLocationRegistry locations;
  private final Pool pool;
  private final GatewayMetrics metrics;
  private final Quorum quorum;
  private final LiveNodes live;
  private final List<Function<String, Future<Integer>>> alsoPurge = new CopyOnWriteArrayList<>();
  private UUID registration;
  private long timer = -1;

  public MembershipWatcher(Vertx vertx, HazelcastInstance hz, AgentLocationRegistry locations, Pool pool,
      GatewayMetrics metrics, Quorum quorum) {
    this.vertx = vertx;
    this.hz = hz;
    this.locations = locations;
    this.pool = pool;
    this.metrics = metrics;
    this.quorum = quorum;
    this.live = new LiveNodes(hz);
  }

  /** Registers for membership events and sweeps once now; yields how many stale rows that sweep cleared. */
  public Future<Integer> start() {
    registration = hz.getCluster().addMembershipListener(this);
    timer = vertx.setPeriodic(SWEEP_PERIOD_MILLIS, id -> sweep());
    return sweep();
  }

  /** Other soft state keyed by node (the wake relay index) to purge with a departed node's locations. */
  public MembershipWatcher alsoPurge(Function<String, Future<Integer>> purger) {
    alsoPurge.add(purger);
    return this;
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (registration != null && hz.getLifecycleService().isRunning()) {
      hz.getCluster().removeMembershipListener(registration);
    }
  }

  @Override
  public void memberAdded(MembershipEvent e) {
    LOG.info(Kv.event("cluster.member_added", "member", e.getMember().getUuid(), "node", LiveNodes.nodeOf(e.getMember()),
        "members", e.getMembers().size()));
    sweep();
  }

  @Override
  public void memberRemoved(MembershipEvent e) {
    Member m = e.getMember();
    String memberId = m.getUuid().toString();
    LOG.warning(Kv.event("cluster.member_removed", "member", memberId, "members", e.getMembers().size()));
    nodeOf(m).compose(node -> {
      if (live.ids().contains(node)) {
        return Future.succeededFuture(0); // the node already runs again under another member (restart, merge)
      }
      return purge(node);
    }).compose(n -> sweep())
        .onFailure(err -> LOG.warning(Kv.event("cluster.purge_failed", "member", memberId, "error", err.getMessage())));
  }

  /** The attribute first; the member -> node map only for members that started without one. */
  private Future<String> nodeOf(Member m) {
    String attr = m.getAttribute(HazelcastSettings.NODE_ID_ATTRIBUTE);
    if (attr != null) {
      return Future.succeededFuture(attr);
    }
    String memberId = m.getUuid().toString();
    return vertx.executeBlocking(() -> {
      IMap<String, String> memberNodes = hz.getMap(HazelcastSettings.MEMBER_NODES_MAP);
      String node = memberNodes.get(memberId);
      return node == null ? memberId : node;
    }, false);
  }

  public Future<Integer> purge(String nodeId) {
    alsoPurge.forEach(p -> p.apply(nodeId).onFailure(err -> LOG.warning(Kv.event("cluster.purge_failed", "node", nodeId,
        "error", String.valueOf(err.getMessage())))));
    return locations.purgeNode(nodeId).compose(n -> {
      metrics.purged(n);
      if (!quorum.held()) {
        LOG.warning(Kv.event("cluster.node_purged", "node", nodeId, "locations", n, "agentsOffline", "skipped",
            "why", "no quorum"));
        return Future.succeededFuture(n);
      }
      return pool.preparedQuery("UPDATE agents SET online = false WHERE online AND node_id = $1")
          .execute(Tuple.of(nodeId))
          .map(r -> {
            LOG.info(Kv.event("cluster.node_purged", "node", nodeId, "locations", n, "agentsOffline", r.rowCount()));
            return n;
          });
    });
  }

  /** Marks offline the agents whose row names a node that is not a live member; yields how many. */
  public Future<Integer> sweep() {
    if (!quorum.held() || !hz.getLifecycleService().isRunning()) {
      return Future.succeededFuture(0);
    }
    String[] nodes = live.array();
    return pool.preparedQuery(SWEEP_SQL).execute(Tuple.of(nodes, SWEEP_GRACE_SECONDS)).map(r -> {
      if (r.rowCount() > 0) {
        LOG.info(Kv.event("presence.swept", "agentsOffline", r.rowCount(), "liveNodes", nodes.length));
      }
      return r.rowCount();
    }).onFailure(err -> LOG.warning(Kv.event("presence.sweep_failed", "error", err.getMessage())));
  }
}
