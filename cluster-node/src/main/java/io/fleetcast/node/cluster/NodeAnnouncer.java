package io.fleetcast.node.cluster;

import io.fleetcast.common.cluster.NodeDirectory;
import io.fleetcast.common.cluster.NodeInfo;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** Publishes this node's connection count and state to the shared directory, every second. */
public final class NodeAnnouncer {
  private final NodeDirectory directory;
  private final String nodeId;
  /** Read at every announce: the member UUID changes when the member rejoins after a merge. */
  private final Supplier<String> memberId;
  private final String agentUrl;
  private final String adminUrl;
  private final IntSupplier connections;
  private final Supplier<NodeInfo.State> state;

  public NodeAnnouncer(NodeDirectory directory, String nodeId, Supplier<String> memberId, String agentUrl, String adminUrl,
      IntSupplier connections, Supplier<NodeInfo.State> state) {
    this.directory = directory;
    this.nodeId = nodeId;
    this.memberId = memberId;
    this.agentUrl = agentUrl;
    this.adminUrl = adminUrl;
    this.connections = connections;
    this.state = state;
  }

  public Future<Void> announce() {
    return directory.publish(new NodeInfo(nodeId, memberId.get(), agentUrl, adminUrl, connections.getAsInt(), state.get(),
        Instant.now()));
  }

  public Future<Void> withdraw() {
    return directory.remove(nodeId);
  }
}
