package io.fleetcast.fleetctl;

/** A problem found before or without asking the server; carries the exit code to end with. */
public final class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
