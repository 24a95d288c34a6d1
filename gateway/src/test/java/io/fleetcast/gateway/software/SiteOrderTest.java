package io.fleetcast.gateway.software;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.cluster.NodeInfo;
import io.fleetcast.common.depot.DepotStore.DepotRow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiteOrderTest {
  static final List<DepotRow> DEPOTS = List.of(
      new DepotRow("origin", "http://gw", "origin", List.of(), true, null),
      new DepotRow("berlin-node", "http://b", "berlin", List.of("10.1.0.0/16"), false, "n-berlin"),
      new DepotRow("paris-1", "http://p", "paris", List.of("10.2.0.0/16"), false, null),
      new DepotRow("paris-node", "http://pn", "paris", List.of(), false, "n-paris"));

  static NodeInfo node(String id) {
    return new NodeInfo(id, "m-" + id, "ws://" + id, null, 0, NodeInfo.State.READY, Instant.EPOCH);
  }

  /** An agent's site is that of a depot serving one of its addresses; none: no site. */
  @Test
  void agentSiteFromDepotSubnets() {
    assertThat(SiteOrder.siteOf(List.of("192.0.2.1", "10.2.3.4"), DEPOTS)).isEqualTo("paris");
    assertThat(SiteOrder.siteOf(List.of("10.1.0.9"), DEPOTS)).isEqualTo("berlin");
    assertThat(SiteOrder.siteOf(List.of("192.0.2.1"), DEPOTS)).isNull();
  }

  /** Nodes of the agent's site go first, each group in its load order; no site changes nothing. */
  @Test
  void sameSiteFirstKeepsLoadOrderWithinGroups() {
    List<NodeInfo> byLoad = List.of(node("n-other"), node("n-berlin"), node("n-paris"), node("n-x"));
    assertThat(SiteOrder.sameSiteFirst("paris", byLoad, DEPOTS)).extracting(NodeInfo::nodeId)
        .containsExactly("n-paris", "n-other", "n-berlin", "n-x");
    assertThat(SiteOrder.sameSiteFirst(null, byLoad, DEPOTS)).isEqualTo(byLoad);
  }
}
