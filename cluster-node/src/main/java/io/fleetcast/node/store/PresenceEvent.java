package io.fleetcast.node.store;

import io.fleetcast.protocol.Facts;
import java.time.Instant;
import java.util.UUID;

/**
 * A change in an agent's connection or facts, to be written to its row in {@code agents}.
 * {@code connectedAt} is when the session said hello: two nodes' batches can commit in either
 * order, and the newer connection must win.
 */
public record PresenceEvent(Kind kind, UUID agentId, String sessionId, Facts facts, String version,
    Instant connectedAt) {
  public enum Kind { ONLINE, FACTS, OFFLINE }

  public static PresenceEvent online(UUID agentId, String sessionId, Facts facts, String version) {
    return online(agentId, sessionId, facts, version, Instant.now());
  }

  public static PresenceEvent online(UUID agentId, String sessionId, Facts facts, String version, Instant connectedAt) {
    return new PresenceEvent(Kind.ONLINE, agentId, sessionId, facts, version, connectedAt);
  }

  public static PresenceEvent facts(UUID agentId, String sessionId, Facts facts, String version, Instant connectedAt) {
    return new PresenceEvent(Kind.FACTS, agentId, sessionId, facts, version, connectedAt);
  }

  public static PresenceEvent offline(UUID agentId, String sessionId) {
    return new PresenceEvent(Kind.OFFLINE, agentId, sessionId, null, null, null);
  }
}
