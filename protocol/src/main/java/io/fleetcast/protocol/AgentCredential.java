package io.fleetcast.protocol;

import java.util.Optional;

/**
 * The agent's bearer credential, {@code <agentId>.<agentSecret>} (SPEC section 1).
 * The agent id never contains a dot, so the first dot splits the two parts.
 */
public record AgentCredential(String agentId, String secret) {

  public String bearer() {
    return agentId + "." + secret;
  }

  public String authorizationHeader() {
    return "Bearer " + bearer();
  }

  /** Parses an {@code Authorization} header value; empty when it is not a well-formed agent bearer. */
  public static Optional<AgentCredential> fromAuthorizationHeader(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = header.substring(7).trim();
    int dot = token.indexOf('.');
    if (dot <= 0 || dot == token.length() - 1 || token.length() > 512) {
      return Optional.empty();
    }
    return Optional.of(new AgentCredential(token.substring(0, dot), token.substring(dot + 1)));
  }
}
