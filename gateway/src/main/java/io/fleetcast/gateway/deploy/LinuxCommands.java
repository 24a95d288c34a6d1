package io.fleetcast.gateway.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * Linux: prerequisite checks with POSIX sh, a hardened systemd unit running agent-lite under its
 * launcher (which swaps jars on self-update), {@code systemctl enable --now}. Every path and
 * argument is single-quoted.
 */
final class LinuxCommands implements InstallCommands {
  static final String UNIT = "fleetcast-agent";
  private final InstallPlan plan;

  LinuxCommands(InstallPlan plan) {
    this.plan = plan;
  }

  static String q(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private String dir() {
    return plan.installDir().endsWith("/") ? plan.installDir().substring(0, plan.installDir().length() - 1)
        : plan.installDir();
  }

  @Override
  public List<Check> prerequisites() {
    List<Check> out = new ArrayList<>();
    out.add(new Check("install directory writable", "mkdir -p " + q(dir()) + " && test -w " + q(dir()),
        DeployError.FILE_ACCESS_FAILURE, "cannot create or write " + dir()));
    String java = plan.java();
    out.add(new Check("java present", plan.javaPath() == null ? "command -v java >/dev/null && java -version"
        : "test -x " + q(java) + " && " + q(java) + " -version",
        DeployError.PREREQUISITE_MISSING, plan.javaPath() == null ? "no java on the PATH (Java 17 or newer needed)"
            : "the configured runtime " + java + " is missing or not executable"));
    if (plan.serviceCommand() == null) {
      out.add(new Check("systemd present", "command -v systemctl >/dev/null", DeployError.PREREQUISITE_MISSING,
          "no systemctl: systemd is needed (or configure a service command)"));
    }
    return out;
  }

  @Override
  public String jarPath() {
    return dir() + "/fleetcast-agent-lite.jar";
  }

  @Override
  public String envPath() {
    return dir() + "/agent.env";
  }

  @Override
  public String envFile(String enrollmentToken) {
    return "FLEETCAST_ENROLL_TOKEN=" + enrollmentToken + "\n";
  }

  String args() {
    List<String> a = new ArrayList<>(List.of("--gateway", plan.gatewayUrl(), "--state-dir", dir() + "/state"));
    a.addAll(plan.agentArgs());
    return String.join(" ", a.stream().map(LinuxCommands::q).toList());
  }

  String unit() {
    return "[Unit]\nDescription=Fleetcast agent\nAfter=network-online.target\nWants=network-online.target\n\n"
        + "[Service]\nEnvironmentFile=" + envPath() + "\n"
        + "ExecStart=" + plan.java() + " -cp " + jarPath() + " io.fleetcast.agent.update.Launcher --install-dir "
        + dir() + " -- " + args().replace("'", "") + "\n"
        + "Restart=on-failure\nRestartSec=5\nNoNewPrivileges=true\n\n[Install]\nWantedBy=multi-user.target\n";
  }

  @Override
  public String installService() {
    if (plan.serviceCommand() != null) {
      String cmd = plan.serviceCommand().replace("{java}", q(plan.java())).replace("{jar}", q(jarPath()))
          .replace("{dir}", q(dir())).replace("{args}", args());
      // braces: a trailing '&' in the command must not send the cd and the sourcing to the background
      return "cd " + q(dir()) + " && set -a && . " + q(envPath()) + " && set +a && { " + cmd + "\n}";
    }
    return "cat > /etc/systemd/system/" + UNIT + ".service <<'FLEETCAST_UNIT'\n" + unit() + "FLEETCAST_UNIT\n"
        + "systemctl daemon-reload && systemctl enable " + UNIT;
  }

  @Override
  public String start() {
    return plan.serviceCommand() != null ? "true" : "systemctl restart " + UNIT;
  }
}
