package io.fleetcast.node;

import io.fleetcast.common.cluster.ClusterSettings;
import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.node.agent.AgentServerSettings;
import io.fleetcast.node.store.ResultSettings;

/** What a cluster node reads from the catalogue, grouped by the part that uses it. */
public record NodeSettings(AgentServerSettings agent, ResultSettings results, ClusterSettings cluster,
    int wakeIndexSyncMillis, int wakeIndexRelaysPerSubnet) {

  public static NodeSettings from(FleetcastConfig c) {
    return new NodeSettings(AgentServerSettings.from(c), ResultSettings.from(c), ClusterSettings.from(c),
        c.integer("wake.indexSyncMillis"), c.integer("wake.indexRelaysPerSubnet"));
  }
}
