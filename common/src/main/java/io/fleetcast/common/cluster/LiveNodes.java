package io.fleetcast.common.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.util.HashSet;
import java.util.Set;

/**
 * The Fleetcast node ids of the current cluster members, read from each member's
 * {@link HazelcastSettings#NODE_ID_ATTRIBUTE} (local membership view, no remote call). An agent
 * whose presence names a node outside this set is held by no live node.
 */
public final class LiveNodes {
  private final HazelcastInstance hz;

  public LiveNodes(HazelcastInstance hz) {
    this.hz = hz;
  }

  /** The node id a member runs: its attribute, or its UUID for a member started without one. */
  public static String nodeOf(Member m) {
    String id = m.getAttribute(HazelcastSettings.NODE_ID_ATTRIBUTE);
    return id == null ? m.getUuid().toString() : id;
  }

  /** Node ids of the members this process sees now; empty once this member has shut down. */
  public Set<String> ids() {
    if (!hz.getLifecycleService().isRunning()) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (Member m : hz.getCluster().getMembers()) {
      out.add(nodeOf(m));
    }
    return out;
  }

  public String[] array() {
    return ids().toArray(new String[0]);
  }
}
