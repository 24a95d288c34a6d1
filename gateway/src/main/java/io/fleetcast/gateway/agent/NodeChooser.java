package io.fleetcast.gateway.agent;

import io.fleetcast.common.cluster.NodeInfo;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Orders ready nodes least loaded first for enrollment and bootstrap. Node loads are refreshed
 * once a second, so a burst of agents would all be sent to the same "least loaded" node; this
 * gateway therefore adds the agents it has pointed at each node since that node's last report.
 */
public final class NodeChooser {
  private record Seen(Instant reportedAt, int handedOut) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  public List<NodeInfo> bestFirst(List<NodeInfo> ready) {
    for (NodeInfo n : ready) {
      seen.compute(n.nodeId(), (k, s) -> s == null || !s.reportedAt().equals(n.updatedAt()) ? new Seen(n.updatedAt(), 0) : s);
    }
    List<NodeInfo> sorted = ready.stream()
        .sorted(Comparator.comparingInt((NodeInfo n) -> n.connections() + handedOut(n.nodeId())).thenComparing(NodeInfo::nodeId))
        .toList();
    if (!sorted.isEmpty()) {
      seen.computeIfPresent(sorted.get(0).nodeId(), (k, s) -> new Seen(s.reportedAt(), s.handedOut() + 1));
    }
    seen.keySet().retainAll(ready.stream().map(NodeInfo::nodeId).toList());
    return sorted;
  }

  private int handedOut(String nodeId) {
    Seen s = seen.get(nodeId);
    return s == null ? 0 : s.handedOut();
  }
}
