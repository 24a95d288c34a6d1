package io.fleetcast.node.depot;

import io.fleetcast.common.security.AgentSecrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;

/**
 * Short-lived grants one fleet process gives another to fetch a blob from a depot
 * (depot-to-depot distribution): {@code expiresEpochSeconds.HMAC(cluster key, sha|expiry)}. Only
 * processes sharing the installation's cluster key can mint one.
 */
public final class DepotTokens {
  public static final String HEADER = "X-Fleetcast-Depot-Token";

  private final AgentSecrets secrets;

  public DepotTokens(AgentSecrets secrets) {
    this.secrets = secrets;
  }

  public String issue(String sha256, Duration ttl, Instant now) {
    long exp = now.plus(ttl).getEpochSecond();
    return exp + "." + secrets.secretFor("depot-fetch|" + sha256 + "|" + exp);
  }

  /** Null when the token is good for {@code sha256} at {@code now}, else why not. */
  public String problem(String token, String sha256, Instant now) {
    if (token == null || token.isBlank()) {
      return "no depot token";
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || token.length() > 256) {
      return "malformed depot token";
    }
    long exp;
    try {
      exp = Long.parseLong(token.substring(0, dot));
    } catch (NumberFormatException e) {
      return "malformed depot token";
    }
    if (now.getEpochSecond() >= exp) {
      return "depot token expired";
    }
    byte[] expected = secrets.secretFor("depot-fetch|" + sha256 + "|" + exp).getBytes(StandardCharsets.US_ASCII);
    byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given) ? null : "depot token not signed by this installation";
  }
}
