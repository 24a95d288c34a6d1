package io.fleetcast.common.security;

import io.fleetcast.protocol.AgentCredential;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derived agent credentials: the secret is HMAC-SHA256(cluster key, agent id). A node checks
 * a credential with one HMAC and no database round trip, which keeps reconnect storms cheap.
 * Revocation is a separate, cluster-wide deny list.
 */
public final class AgentSecrets {
  private static final String ALG = "HmacSHA256";

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  public AgentSecrets(byte[] clusterKey) {
    if (clusterKey.length < 32) {
      throw new IllegalArgumentException("cluster key must have at least 256 bits");
    }
    this.key = new SecretKeySpec(clusterKey.clone(), ALG);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALG);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String secretFor(String agentId) {
    Mac mac = macs.get();
    byte[] out = mac.doFinal(agentId.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  public AgentCredential credentialFor(String agentId) {
    return new AgentCredential(agentId, secretFor(agentId));
  }

  /** Constant-time check of a presented credential. */
  public boolean verify(AgentCredential credential) {
    byte[] expected = secretFor(credential.agentId()).getBytes(StandardCharsets.US_ASCII);
    byte[] given = credential.secret().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }
}
