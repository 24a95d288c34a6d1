package io.fleetcast.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessRoleTest {

  /** Each role runs the parts its command's help promises, and only standalone may embed Postgres. */
  @Test
  void rolesRunTheirParts() {
    assertThat(ProcessRole.STANDALONE.runsGateway() && ProcessRole.STANDALONE.runsNode()
        && ProcessRole.STANDALONE.mayEmbedDatabase()).isTrue();
    assertThat(ProcessRole.GATEWAY.runsGateway()).isTrue();
    assertThat(ProcessRole.GATEWAY.runsNode() || ProcessRole.GATEWAY.runsDepot()).isFalse();
    assertThat(ProcessRole.NODE.runsNode() && ProcessRole.NODE.runsDepot()).isTrue();
    assertThat(ProcessRole.NODE.runsGateway()).isFalse();
    assertThat(ProcessRole.DEPOT.runsDepot()).isTrue();
    assertThat(ProcessRole.DEPOT.runsGateway() || ProcessRole.DEPOT.runsNode()).isFalse();
    for (ProcessRole r : ProcessRole.values()) {
      assertThat(r.mayEmbedDatabase()).as(r.wireName()).isEqualTo(r == ProcessRole.STANDALONE);
    }
  }

  /** Standalone binds loopback in dev mode as a cluster of one; the other roles add no defaults. */
  @Test
  void onlyStandaloneHasRoleDefaults() {
    assertThat(ProcessRole.STANDALONE.defaults()).containsEntry("dev", true).containsEntry("api.host", "127.0.0.1")
        .containsEntry("agent.host", "127.0.0.1").containsEntry("cluster.members", "");
    assertThat(ProcessRole.GATEWAY.defaults()).isEmpty();
    assertThat(ProcessRole.STANDALONE.wireName()).isEqualTo("standalone");
  }
}
