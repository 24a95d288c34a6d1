package io.fleetcast.gateway.deploy;

import java.util.List;

/**
 * The shell commands of one install, per target OS. Text only (no I/O), so both the Linux
 * (systemd) and the Windows (OpenSSH + scheduled task) variants are tested as text.
 */
public interface InstallCommands {

  /** A prerequisite check: the command must exit 0, else the host fails with {@code error}. */
  record Check(String name, String command, DeployError error, String detail) {}

  static InstallCommands of(InstallPlan plan) {
    return plan.os() == InstallPlan.TargetOs.WINDOWS ? new WindowsCommands(plan) : new LinuxCommands(plan);
  }

  List<Check> prerequisites();

  /** Where the agent jar goes on the host (SFTP path). */
  String jarPath();

  /** Where the environment file with the one-use enrollment token goes (SFTP path, mode 0600). */
  String envPath();

  /** The environment file's content. */
  String envFile(String enrollmentToken);

  /** Registers the agent as a service (or runs the plan's service command). */
  String installService();

  /** Starts the service. */
  String start();
}
