package io.fleetcast.node.depot;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.security.AgentSecrets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DepotTokensTest {
  static final String SHA = "c".repeat(64);
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  final DepotTokens tokens = new DepotTokens(new AgentSecrets(new byte[32]));

  /** A depot token is good for its blob until it expires, and only from this installation's key. */
  @Test
  void depotTokenChecks() {
    String t = tokens.issue(SHA, Duration.ofMinutes(10), NOW);
    assertThat(tokens.problem(t, SHA, NOW)).isNull();
    assertThat(tokens.problem(t, "d".repeat(64), NOW)).contains("not signed");
    assertThat(tokens.problem(t, SHA, NOW.plusSeconds(601))).contains("expired");
    byte[] other = new byte[32];
    other[0] = 1;
    assertThat(new DepotTokens(new AgentSecrets(other)).problem(t, SHA, NOW)).contains("not signed");
    assertThat(tokens.problem("nonsense", SHA, NOW)).contains("malformed");
    assertThat(tokens.problem(null, SHA, NOW)).contains("no depot token");
  }
}
