package io.fleetcast.node.store;

import io.fleetcast.protocol.Facts;
import java.util.UUID;

/** A change in an agent's connection or facts, to be written to its row in {@code agents}. */
public record PresenceEvent(Kind kind, UUID agentId, String sessionId, Facts facts, String version) {
  public enum Kind { ONLINE, FACTS, OFFLINE }

  public static PresenceEvent online(UUID agentId, String sessionId, Facts facts, String version) {
    return new PresenceEvent(Kind.ONLINE, agentId, sessionId, facts, version);
  }

  public static PresenceEvent facts(UUID agentId, String sessionId, Facts facts, String version) {
    return new PresenceEvent(Kind.FACTS, agentId, sessionId, facts, version);
  }

  public static PresenceEvent offline(UUID agentId, String sessionId) {
    return new PresenceEvent(Kind.OFFLINE, agentId, sessionId, null, null);
  }
}
