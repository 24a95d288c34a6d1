package io.fleetcast.agent.update;

/**
 * How the agent ends itself so that its launcher starts the staged version. Production: halt
 * the JVM with {@link #EXIT_CODE} (like a crash, which the agent survives by design: results
 * are on disk until acknowledged); in-process tests: stop that agent instance.
 */
public interface SelfRestart {
  /** The exit code that tells the launcher "start the staged version". */
  int EXIT_CODE = 75;

  void restartIntoStagedVersion();

  /** The production way. */
  static SelfRestart haltJvm() {
    return () -> Runtime.getRuntime().halt(EXIT_CODE);
  }
}
