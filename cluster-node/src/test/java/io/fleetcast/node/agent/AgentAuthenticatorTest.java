package io.fleetcast.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.security.AgentSecrets;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Upgrade credentials: the agent id names one agent whatever its case (issue 11 #6); anything else is refused. */
class AgentAuthenticatorTest {
  private final AgentSecrets secrets = new AgentSecrets("test-cluster-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private final RevocationList revocations = new RevocationList(null);
  private final AgentAuthenticator auth = new AgentAuthenticator(secrets, revocations);

  /** An upper-case spelling of the id with the agent's secret is that agent, under its canonical id. */
  @Test
  void idInAnyCaseIsTheSameAgent() {
    String id = UUID.randomUUID().toString();
    String secret = secrets.secretFor(id);
    assertThat(auth.check("Bearer " + id.toUpperCase() + "." + secret))
        .isEqualTo(new AgentAuthenticator.Verdict.Accepted(id));
    assertThat(auth.check("Bearer " + id + "." + secret)).isEqualTo(new AgentAuthenticator.Verdict.Accepted(id));
  }

  /** An id that is not a full UUID, or a secret of another agent, is unauthorized; a revoked id is refused as such. */
  @Test
  void otherCredentialsAreRefused() {
    String id = UUID.randomUUID().toString();
    String secret = secrets.secretFor(id);
    assertThat(auth.check("Bearer " + id.replace("-", "") + "." + secret))
        .isInstanceOf(AgentAuthenticator.Verdict.Unauthorized.class);
    assertThat(auth.check("Bearer " + id + "." + secrets.secretFor(UUID.randomUUID().toString())))
        .isInstanceOf(AgentAuthenticator.Verdict.Unauthorized.class);
    revocations.add(id);
    assertThat(auth.check("Bearer " + id.toUpperCase() + "." + secret))
        .isEqualTo(new AgentAuthenticator.Verdict.Revoked(id));
  }
}
