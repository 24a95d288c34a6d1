package io.fleetcast.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.fleetctl.testing.CliRun;
import io.fleetcast.fleetctl.testing.CliRun.Result;
import io.fleetcast.fleetctl.testing.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** fleetctl deploy import|start|watch|retry|errors against a real server. */
@Timeout(240)
class DeployCommandTest {
  @TempDir
  static Path home;
  static TestFleet fleet;
  static CliRun cli;

  @BeforeAll
  static void start() throws Exception {
    Path jar = Files.writeString(home.resolve("agent.jar"), "placeholder: no host in this test gets that far");
    fleet = TestFleet.start(Map.of("deploy.agentJar", jar.toString(), "deploy.attempts", 1));
    cli = new CliRun(home.resolve("config/fleetctl.json")).env("DEPLOY_PW", "secret-pw");
    assertThat(cli.run("login", "--url", fleet.apiUrl(), "--token", fleet.adminToken()).exitCode()).isZero();
  }

  @AfterAll
  static void stop() {
    fleet.close();
  }

  /** import prints each refused CSV line with its number; start, watch (exit 5 with cause and solution) and retry. */
  @Test
  void importStartWatchRetry() throws Exception {
    Path csv = Files.writeString(home.resolve("hosts.csv"), "BIOS_NAME,IP_ADDRESS\nghost.invalid,\nbad name,1.2.3.4\n");
    Result imp = cli.run("deploy", "import", "--name", "lab", "--csv", csv.toString(), "--json");
    assertThat(imp.exitCode()).as(imp.toString()).isZero();
    String id = imp.out().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    Result table = cli.run("deploy", "import", "--name", "lab2", "--csv", csv.toString());
    assertThat(table.out()).contains("line 3: BIOS_NAME 'bad name' is not a host name");

    Result start = cli.run("deploy", "start", id, "--user", "deployer", "--password-env", "DEPLOY_PW");
    assertThat(start.exitCode()).as(start.toString()).isZero();
    assertThat(start.out()).contains("scheduled 1 hosts");

    Result watch = cli.run("deploy", "watch", id, "--interval", "1", "--timeout", "120");
    assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(ExitCodes.ROLLOUT_FAILED);
    assertThat(watch.out()).contains("ghost.invalid: dns_resolution_failure").contains("cause:").contains("solution:");

    Result retry = cli.run("deploy", "retry", id);
    assertThat(retry.out()).as(retry.toString()).contains("scheduled 1 failed hosts again");
    assertThat(cli.run("deploy", "ls").out()).contains("lab");
    Result agents = cli.run("agents", "ls", "--agent-version", "no-such-version");
    assertThat(agents.exitCode()).as(agents.toString()).isZero();
    assertThat(cli.run("deploy", "show-nothing").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  /** The error table lists every type with cause and solution; a secret never needs the command line. */
  @Test
  void errorTableAndSecretsFromTheEnvironment() {
    Result errors = cli.run("deploy", "errors");
    assertThat(errors.out()).contains("dns_resolution_failure", "host_key_mismatch", "agent_not_connected", "unknown");
    Result missing = cli.run("deploy", "start", "00000000-0000-0000-0000-000000000000", "--user", "u",
        "--password-env", "NOT_SET_ANYWHERE");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("NOT_SET_ANYWHERE is not set");
  }
}
