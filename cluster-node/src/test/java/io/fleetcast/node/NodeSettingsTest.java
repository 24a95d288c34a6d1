package io.fleetcast.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.config.FleetcastConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {

  /** Without configuration the node's records hold the catalogue's defaults. */
  @Test
  void defaultsComeFromTheCatalogue() {
    NodeSettings s = NodeSettings.from(FleetcastConfig.of(Map.of()));
    assertThat(s.agent().port()).isEqualTo(8081);
    assertThat(s.agent().heartbeatSeconds()).isEqualTo(20);
    assertThat(s.agent().missedHeartbeats()).isEqualTo(3);
    assertThat(s.agent().tlsCert()).isNull();
    assertThat(s.results().batchRows()).isEqualTo(1000);
    assertThat(s.results().batchesInFlight()).isEqualTo(4);
    assertThat(s.cluster().minorityReconnectPerSecond()).isEqualTo(200);
    assertThat(s.cluster().nodeId()).isNull();
    assertThat(s.wakeIndexSyncMillis()).isEqualTo(1000);
  }

  /** The result queue never drops below two batches, and the agent URL follows the wildcard rule. */
  @Test
  void derivedValues() {
    NodeSettings s = NodeSettings.from(FleetcastConfig.of(Map.of("results.batchRows", 500, "results.maxQueuedRows", 100,
        "pg.poolSize", 2, "agent.host", "::", "cluster.host", "10.1.1.1")));
    assertThat(s.results().queueLimit()).isEqualTo(1000);
    assertThat(s.results().batchesInFlight()).isEqualTo(2);
    assertThat(s.agent().advertisedUrl(true, 8443)).isEqualTo("wss://10.1.1.1:8443/agent/v1");
  }
}
