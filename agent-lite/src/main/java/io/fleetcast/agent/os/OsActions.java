package io.fleetcast.agent.os;

import io.vertx.core.Future;

/**
 * Everything that changes the machine beyond running a process: services, power, messages
 * to the user. The real implementation is {@link SystemOsActions}; tests use a fake that
 * records calls, so no test reboots or stops anything.
 */
public interface OsActions {

  enum ServiceAction { START, STOP, RESTART, STATUS }

  enum PowerAction { REBOOT, SHUTDOWN, LOGOFF }

  /** Outcome of an OS command: its exit code and (tail of) output. */
  record CommandResult(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /**
   * Runs a service action. For {@link ServiceAction#STATUS} the output names the state
   * (e.g. {@code active}, {@code inactive}) and {@code exitCode} follows the service manager.
   */
  Future<CommandResult> service(String name, ServiceAction action);

  /** Schedules a power action {@code delaySeconds} from now (0 = as soon as possible). */
  Future<CommandResult> power(PowerAction action, int delaySeconds);

  /** Shows a message to the logged-on users; best effort. */
  Future<Void> showMessage(String message);
}
