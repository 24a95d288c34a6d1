package io.fleetcast.common.cluster;

import io.fleetcast.common.config.FleetcastConfig;
import java.util.List;

/**
 * The {@code cluster.*} and {@code node.*} settings: Hazelcast membership, the event bus and its
 * TLS, quorum and the node's id. Read once at start-up from the catalogue.
 *
 * @param nodeId the configured node id, or null (one is generated at start)
 * @param tlsCert null unless event-bus TLS is configured (then tlsKey and tlsCa are needed too)
 */
public record ClusterSettings(
    String name,
    String host,
    int port,
    List<String> members,
    String eventBusHost,
    int eventBusPort,
    int backupCount,
    int heartbeatSeconds,
    int maxNoHeartbeatSeconds,
    int expectedMembers,
    int minorityReconnectSeconds,
    int minorityReconnectPerSecond,
    String tlsCert,
    String tlsKey,
    String tlsCa,
    String nodeId,
    int sendTimeoutMillis) {

  public static ClusterSettings from(FleetcastConfig c) {
    return new ClusterSettings(c.string("cluster.name"), c.string("cluster.host"), c.integer("cluster.port"),
        c.list("cluster.members"), c.string("cluster.eventBusHost"), c.integer("cluster.eventBusPort"),
        c.integer("cluster.backupCount"), c.integer("cluster.heartbeatSeconds"), c.integer("cluster.maxNoHeartbeatSeconds"),
        c.integer("cluster.expectedMembers"), c.integer("cluster.minorityReconnectSeconds"),
        c.integer("cluster.minorityReconnectPerSecond"), blankToNull(c, "cluster.tlsCert"), blankToNull(c, "cluster.tlsKey"),
        blankToNull(c, "cluster.tlsCa"), blankToNull(c, "node.id"), c.integer("node.sendTimeoutMillis"));
  }

  private static String blankToNull(FleetcastConfig c, String path) {
    return c.isSet(path) ? c.string(path) : null;
  }
}
