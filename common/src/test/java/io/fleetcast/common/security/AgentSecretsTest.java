package io.fleetcast.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.protocol.AgentCredential;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Derived agent secrets: HMAC of the agent id under the cluster key. */
@Timeout(10)
class AgentSecretsTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final String AGENT = "5b6c1a0e-8a0c-4b53-9d0e-3f3d2b6a7c11";

  /** A derived credential verifies, and deriving it again gives the same secret in base64url form without padding. */
  @Test
  void derivedCredentialVerifies() {
    // GIVEN secrets over a cluster key
    AgentSecrets secrets = new AgentSecrets(KEY);

    // WHEN a credential is derived for an agent
    AgentCredential c = secrets.credentialFor(AGENT);

    // THEN it verifies, is stable, and has the 43-character base64url form of 32 bytes
    assertThat(secrets.verify(c)).isTrue();
    assertThat(new AgentSecrets(KEY.clone()).secretFor(AGENT)).isEqualTo(c.secret());
    assertThat(c.secret()).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(c.agentId()).isEqualTo(AGENT);
  }

  /** A wrong secret, another agent's secret, or a secret under another cluster key does not verify. */
  @Test
  void wrongSecretOrAgentFails() {
    // GIVEN secrets over two different cluster keys
    AgentSecrets secrets = new AgentSecrets(KEY);
    byte[] otherKey = KEY.clone();
    otherKey[0] ^= 1;
    AgentSecrets other = new AgentSecrets(otherKey);
    String good = secrets.secretFor(AGENT);

    // WHEN altered credentials are verified
    // THEN none of them verifies
    assertThat(secrets.verify(new AgentCredential(AGENT, good.substring(1)))).isFalse();
    assertThat(secrets.verify(new AgentCredential(AGENT, good + "A"))).isFalse();
    assertThat(secrets.verify(new AgentCredential(AGENT, ""))).isFalse();
    assertThat(secrets.verify(new AgentCredential("6b6c1a0e-8a0c-4b53-9d0e-3f3d2b6a7c11", good))).isFalse();
    assertThat(secrets.verify(new AgentCredential(AGENT, other.secretFor(AGENT)))).isFalse();
    assertThat(secrets.verify(new AgentCredential(AGENT, "\u00e9" + good.substring(1)))).isFalse();
  }

  /** Keys shorter than 256 bits are refused; the key is copied, so later changes to the array do not matter. */
  @Test
  void shortKeyRefusedAndKeyCopied() {
    // GIVEN a short key and a good key array that is changed after use
    byte[] key = KEY.clone();
    AgentSecrets secrets = new AgentSecrets(key);
    String before = secrets.secretFor(AGENT);
    Arrays.fill(key, (byte) 0);

    // WHEN secrets are created or used
    // THEN the short key is refused and the derived secret is unchanged
    assertThatThrownBy(() -> new AgentSecrets(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    assertThat(new AgentSecrets(new byte[32]).secretFor(AGENT)).isNotEmpty();
    assertThat(secrets.secretFor(AGENT)).isEqualTo(before);
  }
}
