package io.fleetcast.agent.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceRankingTest {
  static final Source ORIGIN = new Source("origin", "http://127.0.0.1:1", "origin", List.of(), Source.Kind.ORIGIN);
  static final Source FAR = new Source("far", "http://127.0.0.1:2", "hq", List.of("10.1.0.0/16"), Source.Kind.DEPOT);
  static final Source NEAR = new Source("near", "http://127.0.0.1:3", "branch", List.of("10.2.0.0/16"),
      Source.Kind.DEPOT);
  static final Source PEER = new Source("peer:a", "http://127.0.0.9:4", null, List.of(), Source.Kind.PEER);

  /** By subnet map: peers first, then the depot serving the agent's subnet, then the rest, the origin last. */
  @Test
  void subnetRulePutsPeersThenNearDepotsThenFarThenOrigin() {
    SourceRanking r = new SourceRanking(SourceRule.SUBNET, null, List.of("10.2.3.4"));
    List<Source> out = r.rank(List.of(PEER), List.of(ORIGIN, FAR, NEAR), Map.of("origin", 1L, "far", 1L, "near", 50L));
    assertThat(out).containsExactly(PEER, NEAR, FAR, ORIGIN);
  }

  /** The configured site makes a depot near even without a subnet match. */
  @Test
  void sameSiteCountsAsNear() {
    SourceRanking r = new SourceRanking(SourceRule.SUBNET, "hq", List.of("192.0.2.1"));
    assertThat(r.rank(List.of(), List.of(NEAR, FAR), Map.of("far", 9L, "near", 1L))).containsExactly(FAR, NEAR);
  }

  /** By latency: the fastest depot first regardless of site; the origin still last. */
  @Test
  void latencyRuleOrdersByConnectTime() {
    SourceRanking r = new SourceRanking(SourceRule.LATENCY, null, List.of("10.2.3.4"));
    assertThat(r.rank(List.of(), List.of(ORIGIN, NEAR, FAR), Map.of("origin", 0L, "far", 3L, "near", 40L)))
        .containsExactly(FAR, NEAR, ORIGIN);
  }

  /** First reachable: the gateway's order, an unreachable depot moved behind the reachable ones (kept as last resort). */
  @Test
  void firstReachableKeepsOrderButSkipsUnreachable() {
    SourceRanking r = new SourceRanking(SourceRule.FIRST_REACHABLE, null, List.of());
    assertThat(r.rank(List.of(), List.of(NEAR, FAR),
        Map.of("near", SourceRanking.UNREACHABLE, "far", 30L))).containsExactly(FAR, NEAR);
  }

  /** A near depot that does not answer the probe ranks after a reachable far one. */
  @Test
  void unreachableNearDepotLosesToReachableFarOne() {
    SourceRanking r = new SourceRanking(SourceRule.SUBNET, null, List.of("10.2.3.4"));
    assertThat(r.rank(List.of(), List.of(NEAR, FAR), Map.of("far", 30L))).containsExactly(FAR, NEAR);
  }
}
