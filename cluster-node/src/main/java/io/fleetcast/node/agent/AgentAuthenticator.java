package io.fleetcast.node.agent;

import io.fleetcast.common.security.AgentSecrets;
import io.fleetcast.protocol.AgentCredential;
import java.util.Optional;
import java.util.UUID;

/** Checks the bearer of an upgrade request: one HMAC and a memory lookup, no database round trip. */
public final class AgentAuthenticator {

  /** The answer to an upgrade request's credential. */
  public sealed interface Verdict {
    record Accepted(String agentId) implements Verdict {}

    record Unauthorized(String why) implements Verdict {}

    record Revoked(String agentId) implements Verdict {}
  }

  private final AgentSecrets secrets;
  private final RevocationList revocations;

  public AgentAuthenticator(AgentSecrets secrets, RevocationList revocations) {
    this.secrets = secrets;
    this.revocations = revocations;
  }

  public Verdict check(String authorizationHeader) {
    Optional<AgentCredential> cred = AgentCredential.fromAuthorizationHeader(authorizationHeader);
    if (cred.isEmpty()) {
      return new Verdict.Unauthorized(authorizationHeader == null ? "missing credential" : "malformed credential");
    }
    String id = cred.get().agentId();
    if (!isUuid(id) || !secrets.verify(cred.get())) {
      return new Verdict.Unauthorized("wrong credential");
    }
    if (revocations.isRevoked(id)) {
      return new Verdict.Revoked(id);
    }
    return new Verdict.Accepted(id);
  }

  private static boolean isUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    try {
      return UUID.fromString(s).toString().equals(s.toLowerCase());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
