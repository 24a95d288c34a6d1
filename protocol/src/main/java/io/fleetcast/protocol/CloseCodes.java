package io.fleetcast.protocol;

/** WebSocket close codes used on the agent channel (RFC 6455 section 7.4 plus private codes). */
public final class CloseCodes {
  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;
  public static final int UNSUPPORTED_DATA = 1003;
  public static final int INVALID_PAYLOAD = 1007;
  public static final int POLICY_VIOLATION = 1008;
  public static final int TOO_BIG = 1009;
  public static final int INTERNAL_ERROR = 1011;
  public static final int TRY_AGAIN_LATER = 1013;
  /** Private range: the session was replaced by a newer connection of the same agent. */
  public static final int SUPERSEDED = 4000;
  /** Private range: the agent's credential was revoked. */
  public static final int REVOKED = 4003;
  /** Private range: no heartbeat answered in time. */
  public static final int IDLE = 4008;

  private CloseCodes() {}
}
