package io.fleetcast.common.cluster;

import com.hazelcast.core.HazelcastInstance;

/**
 * Whether this member still sees a majority of the cluster it was sized for. A member cut off
 * from the majority must not accept dispatch: the other side may already be handling its agents.
 */
public final class Quorum {
  private final HazelcastInstance hz;
  private final int expectedMembers;

  public Quorum(HazelcastInstance hz, int expectedMembers) {
    this.hz = hz;
    this.expectedMembers = expectedMembers;
  }

  public int members() {
    return hz.getLifecycleService().isRunning() ? hz.getCluster().getMembers().size() : 0;
  }

  public boolean held() {
    if (!hz.getLifecycleService().isRunning()) {
      return false;
    }
    return expectedMembers <= 0 || members() >= expectedMembers / 2 + 1;
  }
}
