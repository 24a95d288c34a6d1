package io.fleetcast.agent.os;

import io.fleetcast.agent.facts.LoggedOnUsers;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The real machine: systemd ({@code systemctl}) or the Windows service manager ({@code sc}),
 * {@code shutdown}/{@code systemd-run}/{@code loginctl} for power, {@code wall}/{@code msg} for
 * messages. Every command runs on a worker thread with a timeout. Never used by tests.
 */
public final class SystemOsActions implements OsActions {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final WorkerExecutor worker;
  private final boolean windows = Commands.isWindows();

  public SystemOsActions(WorkerExecutor worker) {
    this.worker = worker;
  }

  @Override
  public Future<CommandResult> service(String name, ServiceAction action) {
    return worker.executeBlocking(() -> windows ? windowsService(name, action) : systemd(name, action), false);
  }

  private static CommandResult systemd(String name, ServiceAction action) {
    if (action == ServiceAction.STATUS) {
      CommandResult r = Commands.run(List.of("systemctl", "is-active", name), TIMEOUT);
      String state = r.output().trim();
      // is-active exits 3 for a unit that is merely inactive: the query itself worked
      boolean known = r.exitCode() == 0 || (r.exitCode() == 3 && !state.isEmpty() && !state.contains("not"));
      return new CommandResult(known ? 0 : r.exitCode(), state);
    }
    return Commands.run(List.of("systemctl", action.name().toLowerCase(Locale.ROOT), name), TIMEOUT);
  }

  private static CommandResult windowsService(String name, ServiceAction action) {
    return switch (action) {
      case START -> Commands.run(List.of("sc", "start", name), TIMEOUT);
      case STOP -> Commands.run(List.of("sc", "stop", name), TIMEOUT);
      case STATUS -> Commands.run(List.of("sc", "query", name), TIMEOUT);
      case RESTART -> Commands.run(List.of("powershell", "-NoProfile", "-NonInteractive", "-Command",
          "Restart-Service -Force -Name '" + name.replace("'", "''") + "'"), TIMEOUT);
    };
  }

  @Override
  public Future<CommandResult> power(PowerAction action, int delaySeconds) {
    return worker.executeBlocking(() -> windows ? windowsPower(action, delaySeconds) : unixPower(action,
        delaySeconds), false);
  }

  private static CommandResult windowsPower(PowerAction action, int delay) {
    return switch (action) {
      case REBOOT -> Commands.run(List.of("shutdown", "/r", "/t", String.valueOf(delay)), TIMEOUT);
      case SHUTDOWN -> Commands.run(List.of("shutdown", "/s", "/t", String.valueOf(delay)), TIMEOUT);
      case LOGOFF -> Commands.run(List.of("shutdown", "/l"), TIMEOUT);
    };
  }

  private static CommandResult unixPower(PowerAction action, int delay) {
    if (action == PowerAction.LOGOFF) {
      List<String> out = new ArrayList<>();
      int worst = 0;
      for (String user : LoggedOnUsers.query()) {
        CommandResult r = Commands.run(List.of("loginctl", "terminate-user", user), TIMEOUT);
        out.add(user + ": " + (r.ok() ? "logged off" : r.output().trim()));
        worst = Math.max(worst, Math.abs(r.exitCode()));
      }
      return new CommandResult(worst, String.join("\n", out));
    }
    String verb = action == PowerAction.REBOOT ? "reboot" : "poweroff";
    if (Files.isExecutable(Path.of("/usr/bin/systemd-run")) || Files.isExecutable(Path.of("/bin/systemd-run"))) {
      // second-precise, and the transient timer survives this agent being stopped by the shutdown
      return Commands.run(List.of("systemd-run", "--on-active=" + delay + "s", "--timer-property=AccuracySec=1s",
          "systemctl", verb), TIMEOUT);
    }
    String minutes = "+" + Math.max(1, (delay + 59) / 60);
    return Commands.run(List.of("shutdown", action == PowerAction.REBOOT ? "-r" : "-h", minutes), TIMEOUT);
  }

  @Override
  public Future<Void> showMessage(String message) {
    return worker.executeBlocking(() -> {
      if (windows) {
        Commands.run(List.of("msg", "*", message), TIMEOUT);
      } else {
        Commands.run(List.of("wall", message), TIMEOUT);
      }
      return null;
    }, false);
  }
}
