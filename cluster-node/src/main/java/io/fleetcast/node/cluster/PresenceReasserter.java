package io.fleetcast.node.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.fleetcast.common.cluster.HazelcastSettings;
import io.fleetcast.common.location.AgentLocationRegistry;
import io.fleetcast.common.location.Location;
import io.fleetcast.common.log.Kv;
import io.fleetcast.node.agent.AgentSession;
import io.fleetcast.node.agent.SessionTable;
import io.fleetcast.node.store.PresenceStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Re-establishes what this node holds after the cluster changed under it. While a node is cut
 * off, the other side purges its agent locations and marks its agents offline; when it comes
 * back (a member joins, or Hazelcast merges the split halves and gives this member a new UUID)
 * nothing else would put them back. So on every member added and every merge, shortly after
 * (events come in bursts), the node re-publishes its member -> node entry, fills the location
 * map with the sockets it really holds and restores the presence rows that no longer say so,
 * which also tells the gateways (the "online" publish) to send what those agents are owed.
 */
public final class PresenceReasserter implements MembershipListener {
  private static final Logger LOG = Logger.getLogger(PresenceReasserter.class.getName());
  /** Membership and merge events arrive in bursts; one pass after the burst settles. */
  static final long SETTLE_MILLIS = 2_000;

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final String nodeId;
  private final SessionTable sessions;
  private final AgentLocationRegistry locations;
  private final PresenceStore presence;
  private final io.vertx.core.Context context;
  private UUID membershipRegistration;
  private UUID lifecycleRegistration;
  private long pending = -1;
  /** A pass is running (Hazelcast calls can hang while a partition migrates): periodic passes do not pile up. */
  private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean stopped;

  public PresenceReasserter(Vertx vertx, HazelcastInstance hz, String nodeId, SessionTable sessions,
      AgentLocationRegistry locations, PresenceStore presence) {
    this.presence = presence;
    this.vertx = vertx;
    this.hz = hz;
    this.nodeId = nodeId;
    this.sessions = sessions;
    this.locations = locations;
    this.context = vertx.getOrCreateContext();
  }

  public void start() {
    membershipRegistration = hz.getCluster().addMembershipListener(this);
    lifecycleRegistration = hz.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
        LOG.info(Kv.event("cluster.merged", "node", nodeId, "member", hz.getCluster().getLocalMember().getUuid()));
        schedule("merged");
      }
    });
  }

  public void stop() {
    stopped = true;
    if (hz.getLifecycleService().isRunning()) {
      if (membershipRegistration != null) {
        hz.getCluster().removeMembershipListener(membershipRegistration);
      }
      if (lifecycleRegistration != null) {
        hz.getLifecycleService().removeLifecycleListener(lifecycleRegistration);
      }
    }
  }

  @Override
  public void memberAdded(MembershipEvent e) {
    schedule("member_added");
  }

  @Override
  public void memberRemoved(MembershipEvent e) {
    // nothing to restore: the departed member's state is the other side's business
  }

  /** Hazelcast calls from its own threads: hop onto the event loop, coalescing a burst into one pass. */
  private void schedule(String why) {
    context.runOnContext(v -> {
      if (stopped || pending >= 0) {
        return;
      }
      pending = vertx.setTimer(SETTLE_MILLIS, id -> {
        pending = -1;
        reassert(why);
      });
    });
  }

  /** One pass: member -> node entry, locations, presence. Public for the periodic location pass too. */
  public void reassert(String why) {
    if (stopped || !hz.getLifecycleService().isRunning()) {
      return;
    }
    if (!running.compareAndSet(false, true)) {
      if (!"periodic".equals(why)) {
        schedule(why); // a membership pass must not be lost: run it once the current one is done
      }
      return;
    }
    Map<String, Location> held = new HashMap<>();
    Map<UUID, String> bySession = new HashMap<>();
    for (AgentSession s : sessions.all()) {
      if (s.active()) {
        held.put(s.agentId(), s.location());
        UUID id = uuid(s.agentId());
        if (id != null) {
          bySession.put(id, s.sessionId());
        }
      }
    }
    boolean restorePresence = !"periodic".equals(why);
    vertx.executeBlocking(() -> hz.<String, String>getMap(HazelcastSettings.MEMBER_NODES_MAP)
            .put(hz.getCluster().getLocalMember().getUuid().toString(), nodeId), false)
        .compose(v -> locations.reassert(held))
        .compose(n -> (restorePresence ? presence.restore(bySession) : Future.succeededFuture(0)).map(p -> {
          if (n > 0 || p > 0) {
            LOG.info(Kv.event("locations.reasserted", "why", why, "locations", n, "presence", p));
          }
          return p;
        }))
        .onFailure(err -> LOG.warning(Kv.event("locations.reassert_failed", "why", why, "error", err.getMessage())))
        .onComplete(ar -> running.set(false));
  }

  private static UUID uuid(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
