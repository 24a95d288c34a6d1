package io.fleetcast.common.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.fleetcast.common.wake.HazelcastRelayIndex;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The Hazelcast maps a gateway or node opens at start, whose proxies are created cluster-wide
 * (the relay index's map adds its index on every member). Opened on a worker thread: on the event
 * loop, while seven members formed a cluster on two cores, creating one blocked a node for 113 s
 * and failed its start.
 */
public record ClusterMaps(NodeDirectory directory, HazelcastRelayIndex relays) {

  /** Opens the maps off the event loop; completes on the caller's context. */
  public static Future<ClusterMaps> open(Vertx vertx, HazelcastInstance hazelcast) {
    return vertx.executeBlocking(() -> new ClusterMaps(new NodeDirectory(vertx, hazelcast),
        new HazelcastRelayIndex(vertx, hazelcast)));
  }
}
