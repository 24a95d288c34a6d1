package io.fleetcast.common.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.fleetcast.common.config.FleetcastConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Hazelcast configuration never discovers or binds beyond what is configured. */
@Timeout(10)
class HazelcastSettingsTest {

  private static Config build(Map<String, Object> overrides) {
    FleetcastConfig cfg = FleetcastConfig.of(overrides);
    return HazelcastSettings.build(cfg, cfg.string("cluster.name"));
  }

  /**
   * The node id travels as a member attribute fixed before the join (so it survives a merge's new
   * member UUID): the configured node.id, or a generated UUID when unset.
   */
  @Test
  void nodeIdIsAMemberAttribute() {
    assertThat(build(Map.of("node.id", "node-7")).getMemberAttributeConfig()
        .getAttribute(HazelcastSettings.NODE_ID_ATTRIBUTE)).isEqualTo("node-7");
    String generated = build(Map.of()).getMemberAttributeConfig().getAttribute(HazelcastSettings.NODE_ID_ATTRIBUTE);
    assertThat(java.util.UUID.fromString(generated)).isNotNull();
  }

  /** Multicast, auto-detection and cloud discovery are off; TCP-IP is the one join method, with the configured members. */
  @Test
  void joinsOnlyByTcpIp() {
    // GIVEN a member list with a port range, a plain host and a host:port
    Config c = build(Map.of("cluster.members", "10.1.0.5:5701-5703, 10.1.0.6 ,10.1.0.7:6000"));

    // WHEN the Hazelcast join configuration is inspected
    JoinConfig join = c.getNetworkConfig().getJoin();

    // THEN only TCP-IP is enabled, with the expanded members
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getAwsConfig().isEnabled()).isFalse();
    assertThat(join.getGcpConfig().isEnabled()).isFalse();
    assertThat(join.getAzureConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getEurekaConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers())
        .containsExactly("10.1.0.5:5701", "10.1.0.5:5702", "10.1.0.5:5703", "10.1.0.6", "10.1.0.7:6000");
    join.verify();
  }

  /** Hazelcast binds to the configured interface only, phones nowhere, and uses the configured name and timings. */
  @Test
  void bindsToConfiguredInterfaceOnly() {
    // GIVEN a cluster name, host and heartbeat settings
    Config c = build(Map.of("cluster.name", "fc-unit", "cluster.host", "127.0.0.1", "cluster.port", 23456,
        "cluster.heartbeatSeconds", 3, "cluster.maxNoHeartbeatSeconds", 17, "cluster.backupCount", 2));

    // WHEN the configuration is built
    // THEN the interfaces are restricted, nothing binds to any address, phone-home is off, the name is set
    assertThat(c.getClusterName()).isEqualTo("fc-unit");
    assertThat(c.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(c.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(c.getNetworkConfig().getPort()).isEqualTo(23456);
    assertThat(c.getNetworkConfig().getPublicAddress()).isNull();
    assertThat(c.getNetworkConfig().getRestApiConfig().isEnabled()).isFalse();
    assertThat(c.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(c.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(System.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(c.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("3");
    assertThat(c.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("17");
    assertThat(c.getMapConfig(HazelcastSettings.LOCATIONS_MAP).getBackupCount()).isEqualTo(2);
  }

  /** A host:from-to member becomes one member per port; others pass unchanged. */
  @Test
  void expandMembersExpandsRanges() {
    // GIVEN member entries with and without ranges
    // WHEN they are expanded
    // THEN only ranges multiply
    assertThat(HazelcastSettings.expandMembers(List.of("127.0.0.1:5701-5703")))
        .containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
    assertThat(HazelcastSettings.expandMembers(List.of("h:5701-5701"))).containsExactly("h:5701");
    assertThat(HazelcastSettings.expandMembers(List.of("h", "h:5701", "[::1]:5701-5702")))
        .containsExactly("h", "h:5701", "[::1]:5701", "[::1]:5702");
    assertThat(HazelcastSettings.expandMembers(List.of())).isEmpty();
  }

  /** Reversed, huge or non-numeric port ranges are refused. */
  @Test
  void badRangesAreRefused() {
    // GIVEN malformed ranges
    // WHEN they are expanded
    // THEN each is refused
    assertThatThrownBy(() -> HazelcastSettings.expandMembers(List.of("h:5703-5701")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("h:5703-5701");
    assertThatThrownBy(() -> HazelcastSettings.expandMembers(List.of("h:1000-5000")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HazelcastSettings.expandMembers(List.of("h:a-b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** An empty member list (the standalone role's default) joins nobody: the member is a cluster of one. */
  @Test
  void emptyMemberListJoinsNobody() {
    JoinConfig join = build(Map.of("cluster.members", "")).getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    join.verify();
  }
}
