package io.fleetcast.load.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AgentIdsTest {

  /** Ids are stable per (seed, index), distinct, lower-case version-4 UUIDs as a node's authenticator requires. */
  @Test
  void idsAreStableDistinctUuids() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = AgentIds.id(1234, i);
      assertThat(seen.add(id)).isTrue();
      if (i % 9973 == 0) {
        UUID u = UUID.fromString(id);
        assertThat(u.toString()).isEqualTo(id);
        assertThat(u.version()).isEqualTo(4);
        assertThat(u.variant()).isEqualTo(2);
        assertThat(AgentIds.id(1234, i)).isEqualTo(id);
      }
    }
    assertThat(AgentIds.id(1, 0)).isNotEqualTo(AgentIds.id(2, 0));
  }
}
