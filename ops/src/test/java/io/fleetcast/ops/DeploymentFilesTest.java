package io.fleetcast.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcast.common.config.FleetcastConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The systemd units, example configuration files and scripts of ops/ are consistent and usable. */
class DeploymentFilesTest {

  /** Each example configuration is accepted by the server's own loader (unknown keys are refused there). */
  @ParameterizedTest
  @ValueSource(strings = {"gateway", "node", "depot", "standalone"})
  void exampleConfigurationLoads(String role) {
    FleetcastConfig cfg = FleetcastConfig.load(Repo.path("ops/config/" + role + ".yaml"), Map.of(), Map.of());
    assertThat(cfg.string("dataDir")).isEqualTo("/var/lib/fleetcast/" + role);
  }

  /** Server units run as the fleetcast user, hardened, writing only their data directory, restarted on failure. */
  @ParameterizedTest
  @ValueSource(strings = {"gateway", "node", "depot", "standalone"})
  void serverUnitsAreHardened(String role) {
    SystemdUnit u = SystemdUnit.read(Repo.path("ops/systemd/fleetcast-" + role + ".service"));
    assertThat(u.service("User")).isEqualTo("fleetcast");
    assertThat(u.service("NoNewPrivileges")).isEqualTo("true");
    assertThat(u.service("ProtectSystem")).isEqualTo("strict");
    assertThat(u.service("PrivateTmp")).isEqualTo("true");
    assertThat(u.service("ProtectHome")).isEqualTo("true");
    assertThat(u.service("Restart")).isEqualTo("on-failure");
    assertThat(Integer.parseInt(u.service("LimitNOFILE"))).isGreaterThanOrEqualTo(65536);
    assertThat(u.service("MemoryDenyWriteExecute")).as("breaks the JVM's JIT").isNull();
    String dataDir = FleetcastConfig.load(Repo.path("ops/config/" + role + ".yaml"), Map.of(), Map.of()).string("dataDir");
    assertThat(u.service("ReadWritePaths")).isEqualTo(dataDir);
    assertThat(u.service("StateDirectory")).isEqualTo(dataDir.substring("/var/lib/".length()));
    assertThat(u.service("ExecStart")).contains("-jar /opt/fleetcast/fleetcast.jar " + role + " --config /etc/fleetcast/"
        + role + ".yaml");
    assertThat(u.sections().get("Install").get("WantedBy")).containsExactly("multi-user.target");
  }

  /** The agent unit runs agent-lite with its state directory and env file, restarted on failure. */
  @Test
  void agentUnitRunsAgentLite() {
    SystemdUnit u = SystemdUnit.read(Repo.path("ops/systemd/fleetcast-agent.service"));
    assertThat(u.service("ExecStart")).contains("/opt/fleetcast/fleetcast-agent-lite.jar")
        .contains("--gateway ${FLEETCAST_GATEWAY_URL}").contains("--state-dir /var/lib/fleetcast-agent");
    assertThat(u.service("StateDirectory")).isEqualTo("fleetcast-agent");
    assertThat(u.service("EnvironmentFile")).isEqualTo("/etc/fleetcast/agent.env");
    assertThat(u.service("Restart")).isEqualTo("on-failure");
    assertThat(u.service("NoNewPrivileges")).isEqualTo("true");
    assertThat(u.service("KillMode")).as("a reboot task must outlive the agent's stop").isEqualTo("process");
  }

  /** Every script parses (bash -n) and is executable. */
  @Test
  void scriptsParse() throws Exception {
    List<Path> scripts;
    try (Stream<Path> s = Files.list(Repo.path("ops/bin"))) {
      scripts = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(scripts).extracting(p -> p.getFileName().toString()).contains("fleetctl", "ensure-promtool",
        "install-systemd");
    for (Path script : scripts) {
      assertThat(Files.isExecutable(script)).as(script + " is executable").isTrue();
      Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(script + ": " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isZero();
    }
  }

  /** ops/bin/fleetctl runs the packaged jar (when the fleetctl module was packaged in this build). */
  @Test
  void fleetctlWrapperRunsTheJar() throws Exception {
    Path jar = Repo.path("fleetctl/target/fleetctl.jar");
    assumeTrue(Files.exists(jar), "fleetctl/target/fleetctl.jar not built (run 'mvn verify -pl fleetctl,ops')");
    Process p = new ProcessBuilder("bash", Repo.path("ops/bin/fleetctl").toString(), "--version")
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("fleetctl 0.1.0");
  }
}
