package io.fleetcast.fleetctl;

/** Process exit codes: scripts branch on these, so they are part of the CLI's contract. */
public final class ExitCodes {
  public static final int OK = 0;
  /** Anything else: server error, conflict, network trouble. */
  public static final int FAILURE = 1;
  /** Bad command line or a request the server refused as invalid (400). */
  public static final int USAGE = 2;
  /** Not logged in, bad token (401) or a role that may not do this (403). */
  public static final int AUTH = 3;
  /** The rollout, agent, token or node does not exist (404). */
  public static final int NOT_FOUND = 4;
  /**
   * {@code rollout watch} / {@code create --watch}: not every target succeeded (some failed, timed
   * out, were declined, rejected, skipped or expired), or the rollout halted or was cancelled.
   */
  public static final int ROLLOUT_FAILED = 5;

  private ExitCodes() {}

  /** The exit code for an HTTP error status (0 = the server could not be reached). */
  public static int forStatus(int status) {
    return switch (status) {
      case 400, 405, 413, 415, 422 -> USAGE;
      case 401, 403 -> AUTH;
      case 404 -> NOT_FOUND;
      default -> FAILURE;
    };
  }
}
