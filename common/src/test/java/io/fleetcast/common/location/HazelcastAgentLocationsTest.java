package io.fleetcast.common.location;

import io.fleetcast.common.cluster.ClusterBoot;
import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.common.testing.TestClusterConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Hazelcast registry, on a real one-member loopback cluster, has the registry contract's semantics. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class HazelcastAgentLocationsTest extends AgentLocationRegistryContract {
  private static ClusterBoot.Clustered cluster;
  private static HazelcastAgentLocations registry;

  @BeforeAll
  static void startCluster() {
    FleetcastConfig cfg = TestClusterConfig.config(TestClusterConfig.cluster(), Map.of());
    cluster = ClusterBoot.start(cfg, cfg.string("cluster.name"), new SimpleMeterRegistry())
        .await();
    registry = new HazelcastAgentLocations(cluster.vertx(), cluster.hazelcast());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.vertx().close().await();
    }
  }

  @Override
  AgentLocationRegistry registry() {
    return registry;
  }
}
