package io.fleetcast.gateway.agent;

import io.fleetcast.common.cluster.NodeInfo;
import io.vertx.core.Future;
import java.util.List;

/**
 * Orders the nodes handed to an agent at enrollment and bootstrap after load: nodes of the
 * agent's site first (SPEC "least loaded, same site"). Software distribution knows the sites.
 */
public interface NodeOrder {
  /** {@code agentId} is null at enrollment; {@code ips} are the agent's addresses when known. */
  Future<List<NodeInfo>> order(String agentId, List<String> ips, List<NodeInfo> bestFirst);
}
