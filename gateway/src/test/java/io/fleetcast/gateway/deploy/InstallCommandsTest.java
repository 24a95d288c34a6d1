package io.fleetcast.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated install commands, as text: systemd on Linux, a scheduled task on Windows, quoting. */
class InstallCommandsTest {
  static InstallPlan plan(InstallPlan.TargetOs os, String dir, String java, String serviceCommand) {
    return new InstallPlan(os, dir, java, serviceCommand, "https://fleet.example:8080", List.of("--tags", "lab"),
        InstallPlan.Timeouts.defaults());
  }

  /** Linux: a unit running the launcher with the env file, enabled and started with systemctl. */
  @Test
  void linuxSystemd() {
    InstallCommands c = InstallCommands.of(plan(InstallPlan.TargetOs.LINUX, "/opt/fleetcast-agent/", null, null));
    assertThat(c.jarPath()).isEqualTo("/opt/fleetcast-agent/fleetcast-agent-lite.jar");
    assertThat(c.installService()).contains("/etc/systemd/system/fleetcast-agent.service")
        .contains("EnvironmentFile=/opt/fleetcast-agent/agent.env")
        .contains("ExecStart=java -cp /opt/fleetcast-agent/fleetcast-agent-lite.jar io.fleetcast.agent.update.Launcher"
            + " --install-dir /opt/fleetcast-agent -- --gateway https://fleet.example:8080 --state-dir"
            + " /opt/fleetcast-agent/state --tags lab")
        .contains("systemctl daemon-reload && systemctl enable fleetcast-agent");
    assertThat(c.start()).isEqualTo("systemctl restart fleetcast-agent");
    assertThat(c.prerequisites()).extracting(InstallCommands.Check::name)
        .containsExactly("install directory writable", "java present", "systemd present");
    assertThat(c.envFile("fce_x")).isEqualTo("FLEETCAST_ENROLL_TOKEN=fce_x\n");
  }

  /** A configured runtime is checked with test -x; paths with quotes are quoted safely. */
  @Test
  void linuxRuntimeAndQuoting() {
    InstallCommands c = InstallCommands.of(plan(InstallPlan.TargetOs.LINUX, "/opt/it's", "/opt/jre/bin/java", null));
    assertThat(c.prerequisites().get(0).command()).isEqualTo("mkdir -p '/opt/it'\\''s' && test -w '/opt/it'\\''s'");
    assertThat(c.prerequisites().get(1).command()).startsWith("test -x '/opt/jre/bin/java'");
  }

  /** A service command replaces systemd: placeholders filled, the env file sourced first, no systemd check. */
  @Test
  void linuxServiceCommand() {
    InstallCommands c = InstallCommands.of(plan(InstallPlan.TargetOs.LINUX, "/tmp/r", "/usr/bin/java",
        "nohup {java} -jar {jar} {args} >agent.log 2>&1 </dev/null &"));
    assertThat(c.installService()).isEqualTo("cd '/tmp/r' && set -a && . '/tmp/r/agent.env' && set +a && { nohup"
        + " '/usr/bin/java' -jar '/tmp/r/fleetcast-agent-lite.jar' '--gateway' 'https://fleet.example:8080'"
        + " '--state-dir' '/tmp/r/state' '--tags' 'lab' >agent.log 2>&1 </dev/null &\n}");
    assertThat(c.prerequisites()).hasSize(2);
  }

  /** Windows: PowerShell checks, a SYSTEM scheduled task at boot running the launcher, started with schtasks. */
  @Test
  void windowsScheduledTask() {
    InstallCommands c = InstallCommands.of(plan(InstallPlan.TargetOs.WINDOWS, "C:/Program Files/Fleetcast",
        "C:\\jre\\bin\\java.exe", null));
    assertThat(c.jarPath()).isEqualTo("C:\\Program Files\\Fleetcast\\fleetcast-agent-lite.jar");
    assertThat(c.installService()).isEqualTo("schtasks /Create /F /TN FleetcastAgent /SC ONSTART /RU SYSTEM /RL HIGHEST"
        + " /TR \"\\\"C:\\jre\\bin\\java.exe\\\" -cp \\\"C:\\Program Files\\Fleetcast\\fleetcast-agent-lite.jar\\\""
        + " io.fleetcast.agent.update.Launcher --env-file \\\"C:\\Program Files\\Fleetcast\\agent.env\\\""
        + " --install-dir \\\"C:\\Program Files\\Fleetcast\\\" -- --gateway https://fleet.example:8080"
        + " --state-dir \\\"C:\\Program Files\\Fleetcast\\state\\\" --tags lab\"");
    assertThat(c.start()).isEqualTo("schtasks /Run /TN FleetcastAgent");
    assertThat(c.prerequisites().get(0).command()).startsWith("powershell -NoProfile -NonInteractive -Command \"")
        .contains("New-Item -ItemType Directory -Force -Path $d");
    assertThat(c.envFile("fce_y")).isEqualTo("FLEETCAST_ENROLL_TOKEN=fce_y\r\n");
  }
}
