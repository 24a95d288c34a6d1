package io.fleetcast.agent.enroll;

/** The gateway refused or failed a call. {@code status} 0 means it was not reached at all. */
public final class GatewayException extends RuntimeException {
  private final int status;

  public GatewayException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** A 4xx other than 408/429: retrying the same request cannot succeed (bad token, revoked ...). */
  public boolean permanent() {
    return status >= 400 && status < 500 && status != 408 && status != 429;
  }
}
