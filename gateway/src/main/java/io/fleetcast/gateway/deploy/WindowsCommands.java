package io.fleetcast.gateway.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * Windows through its built-in OpenSSH server (default shell cmd.exe): PowerShell checks, and
 * agent-lite under its launcher as a scheduled task that starts at boot as SYSTEM and restarts
 * on failure. The enrollment token goes in an environment file the launcher reads (never on
 * a command line another user could see).
 */
final class WindowsCommands implements InstallCommands {
  static final String TASK = "FleetcastAgent";
  private final InstallPlan plan;

  WindowsCommands(InstallPlan plan) {
    this.plan = plan;
  }

  private String dir() {
    String d = plan.installDir().replace('/', '\\');
    return d.endsWith("\\") ? d.substring(0, d.length() - 1) : d;
  }

  /** A PowerShell single-quoted literal. */
  static String ps(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String powershell(String script) {
    return "powershell -NoProfile -NonInteractive -Command \"" + script.replace("\"", "\\\"") + "\"";
  }

  @Override
  public List<Check> prerequisites() {
    List<Check> out = new ArrayList<>();
    out.add(new Check("install directory writable", powershell("$d=" + ps(dir())
        + "; New-Item -ItemType Directory -Force -Path $d | Out-Null; $f=Join-Path $d '.fleetcast-write-test';"
        + " Set-Content -Path $f -Value x -ErrorAction Stop; Remove-Item $f"),
        DeployError.FILE_ACCESS_FAILURE, "cannot create or write " + dir()));
    out.add(new Check("java present", powershell("& " + ps(plan.java()) + " -version; exit $LASTEXITCODE"),
        DeployError.PREREQUISITE_MISSING, "no Java runtime at " + plan.java() + " (Java 17 or newer needed)"));
    out.add(new Check("task scheduler present", "schtasks /Query /TN \\Microsoft\\Windows >NUL",
        DeployError.PREREQUISITE_MISSING, "the task scheduler does not answer"));
    return out;
  }

  @Override
  public String jarPath() {
    return dir() + "\\fleetcast-agent-lite.jar";
  }

  @Override
  public String envPath() {
    return dir() + "\\agent.env";
  }

  @Override
  public String envFile(String enrollmentToken) {
    return "FLEETCAST_ENROLL_TOKEN=" + enrollmentToken + "\r\n";
  }

  String taskCommand() {
    List<String> a = new ArrayList<>(List.of("--env-file", "\\\"" + envPath() + "\\\"", "--install-dir",
        "\\\"" + dir() + "\\\"", "--", "--gateway", plan.gatewayUrl(), "--state-dir", "\\\"" + dir() + "\\state\\\""));
    a.addAll(plan.agentArgs());
    return "\\\"" + plan.java() + "\\\" -cp \\\"" + jarPath() + "\\\" io.fleetcast.agent.update.Launcher "
        + String.join(" ", a);
  }

  @Override
  public String installService() {
    if (plan.serviceCommand() != null) {
      return "cd /d \"" + dir() + "\" && " + plan.serviceCommand().replace("{java}", "\"" + plan.java() + "\"")
          .replace("{jar}", "\"" + jarPath() + "\"").replace("{dir}", "\"" + dir() + "\"");
    }
    return "schtasks /Create /F /TN " + TASK + " /SC ONSTART /RU SYSTEM /RL HIGHEST /TR \"" + taskCommand() + "\"";
  }

  @Override
  public String start() {
    return plan.serviceCommand() != null ? "exit 0" : "schtasks /Run /TN " + TASK;
  }
}
