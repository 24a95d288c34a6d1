package io.fleetcast.common.location;

/**
 * Where an agent is connected: the node holding its socket and the id of that one
 * connection, so that a late cleanup of an old connection cannot erase a newer one.
 */
public record Location(String nodeId, String sessionId) {
  private static final char SEP = '|';

  public String encode() {
    return nodeId + SEP + sessionId;
  }

  public static Location decode(String s) {
    int i = s.indexOf(SEP);
    return i < 0 ? new Location(s, "") : new Location(s.substring(0, i), s.substring(i + 1));
  }
}
