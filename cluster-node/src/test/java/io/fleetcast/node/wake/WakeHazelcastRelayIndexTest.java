package io.fleetcast.node.wake;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.fleetcast.common.cluster.HazelcastSettings;
import io.fleetcast.common.testing.TestClusterConfig;
import io.fleetcast.common.wake.HazelcastRelayIndex;
import io.fleetcast.common.wake.RelayIndex.Entry;
import io.fleetcast.protocol.Facts;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay index on a real (one-member, loopback) Hazelcast: indexed lookups, conditional removal, purge. */
@Timeout(60)
class WakeHazelcastRelayIndexTest {
  static HazelcastInstance hz;
  static Vertx vertx;
  static HazelcastRelayIndex index;

  @BeforeAll
  static void start() {
    var cfg = TestClusterConfig.config(TestClusterConfig.cluster(), Map.of());
    hz = Hazelcast.newHazelcastInstance(HazelcastSettings.build(cfg, cfg.string("cluster.name")));
    vertx = Vertx.vertx();
    index = new HazelcastRelayIndex(vertx, hz);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    hz.shutdown();
  }

  static Entry entry(String agent, String subnet, String node, String session) {
    return new Entry(agent, subnet, node, session, List.of("02:00:00:00:00:01"));
  }

  /** Lookups by subnet return only that subnet's agents; a node's entries can be listed and purged. */
  @Test
  void looksUpBySubnetAndPurgesByNode() {
    index.putAll(List.of(entry("a1", "10.20.1.0/24", "n1", "s1"), entry("a2", "10.20.1.0/24", "n2", "s2"),
        entry("a2", "10.20.2.0/24", "n2", "s2"), entry("a3", "10.20.3.0/24", "n1", "s3"))).await();
    Map<String, List<Entry>> found = index.inSubnets(Set.of("10.20.1.0/24", "10.20.2.0/24", "10.20.9.0/24")).await();
    assertThat(found.keySet()).containsExactlyInAnyOrder("10.20.1.0/24", "10.20.2.0/24");
    assertThat(found.get("10.20.1.0/24")).extracting(Entry::agentId).containsExactlyInAnyOrder("a1", "a2");
    assertThat(found.get("10.20.2.0/24")).singleElement().isEqualTo(entry("a2", "10.20.2.0/24", "n2", "s2"));
    assertThat(index.ofNode("n1").await()).extracting(Entry::agentId).containsExactlyInAnyOrder("a1", "a3");

    assertThat(index.purgeNode("n2").await()).isEqualTo(2);
    assertThat(index.inSubnets(Set.of("10.20.1.0/24", "10.20.2.0/24")).await().get("10.20.1.0/24"))
        .extracting(Entry::agentId).containsExactly("a1");
    assertThat(index.purgeNode("n1").await()).isEqualTo(2);
  }

  /** Removal is conditional on the exact value: an entry rewritten by a newer session survives. */
  @Test
  void removalIsConditionalOnTheSession() {
    Entry old = entry("b1", "10.30.1.0/24", "n1", "s1");
    index.putAll(List.of(old)).await();
    index.putAll(List.of(entry("b1", "10.30.1.0/24", "n2", "s2"))).await();
    assertThat(index.removeIfMatches(List.of(old)).await()).isZero();
    assertThat(index.inSubnets(Set.of("10.30.1.0/24")).await().get("10.30.1.0/24"))
        .singleElement().extracting(Entry::sessionId).isEqualTo("s2");
    assertThat(index.removeIfMatches(List.of(entry("b1", "10.30.1.0/24", "n2", "s2"))).await()).isEqualTo(1);
    assertThat(index.inSubnets(Set.of("10.30.1.0/24")).await()).isEmpty();
  }

  /** The node's publisher works against Hazelcast end to end (publish, re-assert, withdraw). */
  @Test
  void publisherAgainstHazelcast() {
    Facts f = new Facts("h", "", "", List.of(), List.of("02:00:00:00:00:07"), List.of("10.40.1.9/24"), List.of(), List.of());
    RelayIndexPublisher p = new RelayIndexPublisher(vertx, index, "n7", v -> v.visit("c1", "s1", f));
    p.sync().await();
    assertThat(index.inSubnets(Set.of("10.40.1.0/24")).await().get("10.40.1.0/24")).singleElement()
        .satisfies(e -> assertThat(e.macs()).containsExactly("02:00:00:00:00:07"));
    index.purgeNode("n7").await();
    assertThat(p.reconcile().await()).isEqualTo(1);
    assertThat(index.ofNode("n7").await()).hasSize(1);
    p.stop().await();
    assertThat(index.ofNode("n7").await()).isEmpty();
  }
}
