package io.fleetcast.node.agent;

import io.fleetcast.common.security.AgentSecrets;
import io.fleetcast.protocol.AgentCredential;
import io.fleetcast.protocol.AgentIds;
import java.util.Optional;

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
    // an id typed in another case names the same agent; the secret is derived from the canonical form
    String id = AgentIds.canonical(cred.get().agentId());
    if (id == null || !secrets.verify(new AgentCredential(id, cred.get().secret()))) {
      return new Verdict.Unauthorized("wrong credential");
    }
    if (revocations.isRevoked(id)) {
      return new Verdict.Revoked(id);
    }
    return new Verdict.Accepted(id);
  }
}
