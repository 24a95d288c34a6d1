package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of the agent's {@code Authorization: Bearer <agentId>.<agentSecret>} header. */
@Timeout(10)
class AgentCredentialTest {

  /** A credential's own header parses back to the same credential. */
  @Test
  void roundTripsItsOwnHeader() {
    // GIVEN a credential
    AgentCredential c = new AgentCredential("5b6c1a0e-8a0c-4b53-9d0e-3f3d2b6a7c11", "s3cr3t-_AZ");

    // WHEN its header is parsed
    Optional<AgentCredential> back = AgentCredential.fromAuthorizationHeader(c.authorizationHeader());

    // THEN it is the same credential
    assertThat(c.authorizationHeader()).isEqualTo("Bearer 5b6c1a0e-8a0c-4b53-9d0e-3f3d2b6a7c11.s3cr3t-_AZ");
    assertThat(back).contains(c);
  }

  /** The scheme is case-insensitive (RFC 7235) and surrounding blanks of the token are ignored. */
  @ParameterizedTest
  @ValueSource(strings = {"bearer agent.secret", "BEARER agent.secret", "Bearer   agent.secret  "})
  void schemeIsCaseInsensitive(String header) {
    // GIVEN a header with an unusual spelling of the scheme
    // WHEN it is parsed
    // THEN it yields the credential
    assertThat(AgentCredential.fromAuthorizationHeader(header)).contains(new AgentCredential("agent", "secret"));
  }

  /** The first dot splits: the secret may itself contain dots. */
  @Test
  void firstDotSplits() {
    // GIVEN a secret that contains dots
    // WHEN the header is parsed
    // THEN only the first dot separates id from secret
    assertThat(AgentCredential.fromAuthorizationHeader("Bearer agent.se.cr.et"))
        .contains(new AgentCredential("agent", "se.cr.et"));
  }

  /** Headers that are not a well-formed agent bearer yield nothing (and so a 401), never an exception. */
  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer    ", "Basic YWdlbnQ6c2VjcmV0", "Bearer agent",
      "Bearer .secret", "Bearer agent.", "Bearer .", "Token agent.secret", "Bearer-agent.secret", "agent.secret"})
  void malformedHeadersYieldNothing(String header) {
    // GIVEN a malformed header
    // WHEN it is parsed
    // THEN there is no credential
    assertThat(AgentCredential.fromAuthorizationHeader(header)).isEmpty();
  }

  /** An oversized token is refused before any further work. */
  @Test
  void oversizedTokenIsRefused() {
    // GIVEN tokens just within and over 512 characters
    String within = "a.".concat("b".repeat(510));
    String over = "a.".concat("b".repeat(511));

    // WHEN they are parsed
    // THEN only the one within the limit is accepted
    assertThat(AgentCredential.fromAuthorizationHeader("Bearer " + within)).isPresent();
    assertThat(AgentCredential.fromAuthorizationHeader("Bearer " + over)).isEmpty();
  }
}
