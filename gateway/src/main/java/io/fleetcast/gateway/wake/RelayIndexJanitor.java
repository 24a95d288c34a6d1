package io.fleetcast.gateway.wake;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.fleetcast.common.cluster.HazelcastSettings;
import io.fleetcast.common.log.Kv;
import io.fleetcast.common.wake.RelayIndex;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Purges the relay-index entries of a node whose member left the cluster, as the location
 * registry's entries are purged (see {@code cluster.MembershipWatcher}): its agents are gone
 * and reconnect elsewhere, where their new node publishes them again. Every gateway does it;
 * the removal is conditional on each entry's value, so it is idempotent and spares entries a
 * newer connection wrote.
 */
public final class RelayIndexJanitor implements MembershipListener {
  private static final Logger LOG = Logger.getLogger(RelayIndexJanitor.class.getName());

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final RelayIndex index;
  private UUID registration;

  public RelayIndexJanitor(Vertx vertx, HazelcastInstance hz, RelayIndex index) {
    this.vertx = vertx;
    this.hz = hz;
    this.index = index;
  }

  public void start() {
    registration = hz.getCluster().addMembershipListener(this);
  }

  public void stop() {
    if (registration != null && hz.getLifecycleService().isRunning()) {
      hz.getCluster().removeMembershipListener(registration);
    }
  }

  @Override
  public void memberAdded(MembershipEvent e) {}

  @Override
  public void memberRemoved(MembershipEvent e) {
    String memberId = e.getMember().getUuid().toString();
    vertx.executeBlocking(() -> {
      IMap<String, String> memberNodes = hz.getMap(HazelcastSettings.MEMBER_NODES_MAP);
      String node = memberNodes.get(memberId);
      return node == null ? memberId : node;
    }, false).compose(index::purgeNode)
        .onSuccess(n -> LOG.info(Kv.event("wake.index_purged", "node", memberId, "entries", n)))
        .onFailure(err -> LOG.warning(Kv.event("wake.index_purge_failed", "member", memberId,
            "error", String.valueOf(err.getMessage()))));
  }
}
