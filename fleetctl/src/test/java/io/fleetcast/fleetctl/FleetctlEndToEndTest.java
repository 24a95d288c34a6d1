package io.fleetcast.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.api.EventStream;
import io.fleetcast.fleetctl.output.Json;
import io.fleetcast.fleetctl.testing.CliRun;
import io.fleetcast.fleetctl.testing.CliRun.Result;
import io.fleetcast.fleetctl.testing.FakeAgent;
import io.fleetcast.fleetctl.testing.TestFleet;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** fleetctl against a real standalone server, with a protocol-level fake agent doing the work. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FleetctlEndToEndTest {
  @TempDir
  static Path home;

  static TestFleet fleet;
  static Vertx vertx;
  static FakeAgent agent;
  static CliRun cli;

  @BeforeAll
  static void startServerAndAgent() {
    fleet = TestFleet.start();
    vertx = Vertx.vertx();
    String enrollment = fleet.enrollmentToken(10, "lab");
    agent = new FakeAgent(vertx, fleet.enroll(enrollment, "lab-1")).connect(fleet.agentUrl()).await();
    cli = new CliRun(home.resolve("config/fleetctl.json"));
    Result login = cli.run("login", "--url", fleet.apiUrl(), "--token", fleet.adminToken());
    assertThat(login.exitCode()).as(login.toString()).isZero();
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  /** login keeps URL and token in the config file, readable by its owner only. */
  @Test
  void loginSavesUrlAndTokenForTheOwnerOnly() throws Exception {
    Path file = home.resolve("config/fleetctl.json");
    // GIVEN the login done before all tests THEN the file holds both and is mode 0600
    assertThat(Files.readString(file)).contains(fleet.apiUrl()).contains(fleet.adminToken());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  /** An emergency rollout from flags runs on the agent; watch exits 0; results come back as JSON and CSV. */
  @Test
  void rolloutCreatedFromFlagsCompletesAndListsResults() {
    // WHEN an operator creates a rollout for the lab tag
    Result created = cli.run("rollout", "create", "--name", "emergency patch", "--exec", "apply-patch --now",
        "--tag", "lab", "--waves", "50,100", "--max-failure-percent", "10", "--expires-at", "1h", "--json");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    String id = Json.parse(created.out()).path("id").asText();

    // THEN watching it ends with exit 0 once it completed
    Result watch = cli.run("rollout", "watch", id);
    assertThat(watch.exitCode()).as(watch.toString()).isZero();
    assertThat(watch.out()).contains("completed").contains("1 succeeded");

    // AND the results list as JSON holds the agent's result
    Result results = cli.run("rollout", "results", id, "--json");
    assertThat(results.exitCode()).as(results.toString()).isZero();
    JsonNode items = Json.parse(results.out());
    assertThat(items.isArray()).isTrue();
    assertThat(items).hasSize(1);
    assertThat(items.get(0).path("agentId").asText()).isEqualTo(agent.id());
    assertThat(items.get(0).path("status").asText()).isEqualTo("succeeded");

    // AND as CSV with a header line
    Result csv = cli.run("rollout", "results", id, "--csv");
    assertThat(csv.out().split("\r\n")).hasSize(2);
    // (with the host name, issue 11 #16)
    assertThat(csv.out()).startsWith("agentId,hostname,step,taskId,status,exitCode,error,startedAt,finishedAt,output\r\n")
        .contains(agent.id() + ",fake-" + agent.id().substring(0, 8) + ",0,");

    // AND watch --json prints one JSON line per event, the last one final
    Result events = cli.run("rollout", "watch", id, "--json");
    assertThat(events.exitCode()).isZero();
    String last = events.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(Json.parse(last).path("event").asText()).isEqualTo("final");
    assertThat(Json.parse(last).path("data").path("state").asText()).isEqualTo("completed");

    // AND show and ls name it
    assertThat(cli.run("rollout", "show", id).out()).contains("emergency patch").contains("completed");
    assertThat(cli.run("rollout", "ls", "--state", "completed").out()).contains(id);
  }

  /** A rollout from a YAML file with create --watch completes in one command. */
  @Test
  void rolloutFromYamlFileWithWatch() throws Exception {
    Path file = home.resolve("rollout.yaml");
    Files.writeString(file, """
        name: inventory sweep
        steps:
          - kind: inventory
        targets:
          agents: [%s]
        strategy:
          maxInFlight: 10
        """.formatted(agent.id()));
    Result r = cli.run("rollout", "create", "-f", file.toString(), "--watch");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("created rollout").contains("completed");
  }

  /**
   * The gateway's event stream itself ends with a {@code final} event when the rollout completes
   * while a client is subscribed (not only when it subscribes after the end).
   */
  @Test
  void eventStreamEndsWithFinalEventWhileSubscribed() throws Exception {
    agent.answerAfter(1500);
    try {
      Result created = cli.run("rollout", "create", "--name", "slow task", "--exec", "sleep 1", "--agent", agent.id(),
          "--json");
      String id = Json.parse(created.out()).path("id").asText();
      ApiClient api = new ApiClient(fleet.apiUrl(), fleet.adminToken());
      try (EventStream stream = api.events("/api/v1/rollouts/" + id + "/events")) {
        long deadline = System.currentTimeMillis() + 20_000;
        String finalState = null;
        while (finalState == null && System.currentTimeMillis() < deadline) {
          EventStream.Item item = stream.next(Duration.ofSeconds(1));
          assertThat(item).isNotInstanceOf(EventStream.Ended.class);
          if (item instanceof EventStream.Event e && e.event().name().equals("final")) {
            finalState = Json.parse(e.event().data()).path("state").asText();
          }
        }
        assertThat(finalState).isEqualTo("completed");
      }
    } finally {
      agent.answerAfter(0);
    }
  }

  /** pause/resume/cancel act on a rollout; watching one that was cancelled exits with 5, not 0. */
  @Test
  void watchOfCancelledRolloutExitsNonZero() {
    // GIVEN an enrolled agent that never connects, and a rollout aimed at it
    fleet.enroll(fleet.enrollmentToken(1, "asleep"), "asleep-1");
    Result created = cli.run("rollout", "create", "--name", "for a sleeper", "--exec", "true", "--tag", "asleep",
        "--json");
    String id = Json.parse(created.out()).path("id").asText();
    // WHEN it is paused, resumed, then cancelled
    assertThat(cli.run("rollout", "pause", id).out()).contains("paused");
    assertThat(cli.run("rollout", "resume", id).out()).contains("running");
    Result cancel = cli.run("rollout", "cancel", id);
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).contains("cancelled");
    // THEN watch reports it and fails
    Result watch = cli.run("rollout", "watch", id);
    assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(ExitCodes.ROLLOUT_FAILED);
    assertThat(watch.out()).contains("cancelled");
  }

  /** A rollout that completes with its only target failed is not a success: watch exits 5 (it exited 0). */
  @Test
  void watchOfCompletedRolloutWithAFailedTargetExits5() {
    agent.answering(TaskStatus.FAILED);
    try {
      Result created = cli.run("rollout", "create", "--name", "fails everywhere", "--exec", "false", "--agent",
          agent.id(), "--json");
      assertThat(created.exitCode()).as(created.toString()).isZero();
      String id = Json.parse(created.out()).path("id").asText();
      Result watch = cli.run("rollout", "watch", id);
      assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(ExitCodes.ROLLOUT_FAILED);
      assertThat(watch.out()).contains("completed").contains("0 succeeded, 1 failed");
    } finally {
      agent.answering(TaskStatus.SUCCEEDED);
    }
  }

  /** schedule create/ls/rm manage a recurring rollout; the listing shows the cron and the next firing. */
  @Test
  void scheduleLifecycle() {
    Result created = cli.run("schedule", "create", "--name", "nightly patch", "--cron", "0 2 * * *", "--time-zone",
        "Europe/Berlin", "--exec", "apply-patch", "--tag", "lab", "--waves", "10,100", "--expires-after", "4h",
        "--json");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    JsonNode s = Json.parse(created.out());
    String id = s.path("id").asText();
    assertThat(s.path("expiresAfterMinutes").asInt()).isEqualTo(240);
    assertThat(s.path("timeZone").asText()).isEqualTo("Europe/Berlin");
    assertThat(s.path("rollout").path("targets").path("tags").get(0).asText()).isEqualTo("lab");

    Result table = cli.run("schedule", "ls");
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out()).startsWith("ID").contains(id).contains("0 2 * * *").contains("nightly patch");

    Result rm = cli.run("schedule", "rm", id);
    assertThat(rm.exitCode()).as(rm.toString()).isZero();
    assertThat(Json.parse(cli.run("schedule", "ls", "--json").out()).path("items").findValuesAsText("id"))
        .doesNotContain(id);
    assertThat(cli.run("schedule", "rm", id).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  /** The server's field errors of a bad schedule come back as exit 2; a bad duration is caught locally. */
  @Test
  void invalidScheduleGivesExit2() {
    Result badCron = cli.run("schedule", "create", "--name", "x", "--cron", "not a cron", "--exec", "true",
        "--target-all");
    assertThat(badCron.exitCode()).as(badCron.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(badCron.err()).contains("  - cron: ");
    Result badDuration = cli.run("schedule", "create", "--name", "x", "--cron", "0 2 * * *", "--exec", "true",
        "--target-all", "--expires-after", "tomorrow");
    assertThat(badDuration.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badDuration.err()).contains("--expires-after: 'tomorrow' is not a duration");
  }

  /** group set/ls/rm keep a saved selector; rollout create --group uses it; rollout rerun re-runs chosen states. */
  @Test
  void savedGroupsAndRerun() {
    // GIVEN two enrolled agents that never connect, in a saved group
    fleet.enroll(fleet.enrollmentToken(2, "night"), "night-1");
    Result set = cli.run("group", "set", "night-shift", "--tag", "night", "--description", "machines off at night");
    assertThat(set.exitCode()).as(set.toString()).isZero();
    assertThat(cli.run("group", "ls").out()).contains("night-shift").contains("\"night\"");
    // WHEN a rollout names the group and is cancelled before anyone ran it
    Result created = cli.run("rollout", "create", "--name", "nightly", "--exec", "true", "--group", "night-shift", "--json");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    String id = Json.parse(created.out()).path("id").asText();
    assertThat(Json.parse(created.out()).path("targets").asInt()).isEqualTo(1);
    cli.run("rollout", "cancel", id);
    // THEN rerun --state offline creates a new rollout for the machine that was never reached
    Result rerun = cli.run("rollout", "rerun", id, "--state", "offline");
    assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
    assertThat(rerun.out()).contains("created rollout").contains("1 targets, re-run of " + id);
    assertThat(cli.run("rollout", "create", "--name", "x", "--exec", "true", "--group", "night-shift", "--tag", "lab")
        .exitCode()).as("--group with other targets").isNotZero();
    assertThat(cli.run("group", "rm", "night-shift").out()).contains("deleted group night-shift");
  }

  /** A wrong token is an auth failure (3) with the server's words and a hint. */
  @Test
  void badTokenGivesExit3AndAClearMessage() {
    Result r = cli.run("rollout", "ls", "--token", "fct_not_a_real_token");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.AUTH);
    assertThat(r.err()).contains("Unauthorized (HTTP 401)").contains("hint:");
    assertThat(r.out()).isEmpty();
  }

  /** A role too low for the call is also exit 3 (403). */
  @Test
  void viewerCannotCreateRollouts() {
    Result token = cli.run("tokens", "create", "--name", "dashboards", "--role", "viewer", "--json");
    String viewer = Json.parse(token.out()).path("token").asText();
    Result r = cli.run("rollout", "create", "--name", "x", "--exec", "true", "--target-all", "--token", viewer);
    assertThat(r.exitCode()).isEqualTo(ExitCodes.AUTH);
    assertThat(r.err()).contains("Forbidden (HTTP 403)");
  }

  /** Invalid input the server refuses is exit 2, with every field error on its own line. */
  @Test
  void invalidRolloutGivesExit2WithFieldErrors() {
    Result r = cli.run("rollout", "create", "--name", "bad", "--exec", "true", "--target-all", "--waves", "50,10",
        "--subnet", "not-a-cidr");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("(HTTP 400)").contains("  - strategy.waves[1]: ")
        .contains("  - targets.all: ");
  }

  /** Mistakes caught before any request are exit 2 too. */
  @Test
  void localUsageErrorsGiveExit2() {
    Result noName = cli.run("rollout", "create", "--exec", "true", "--target-all");
    assertThat(noName.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noName.err()).contains("--name is required");

    Result badOption = cli.run("rollout", "create", "--bogus");
    assertThat(badOption.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badOption.err()).contains("Unknown option: '--bogus'");

    Result badTime = cli.run("rollout", "create", "--name", "x", "--exec", "true", "--target-all", "--expires-at", "soon");
    assertThat(badTime.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badTime.err()).contains("--expires-at: 'soon'");

    Result past = cli.run("rollout", "create", "--name", "x", "--exec", "true", "--target-all", "--expires-at",
        "2020-01-01T00:00:00Z");
    assertThat(past.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(past.err()).contains("is not in the future");

    Result both = cli.run("rollout", "create", "--name", "x", "--exec", "true", "--target-all", "--expires-at", "2h",
        "--expires-in", "2h");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  /** Unknown ids are exit 4. */
  @Test
  void unknownRolloutGivesExit4() {
    Result r = cli.run("rollout", "show", UUID.randomUUID().toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("Not Found (HTTP 404)");
  }

  /** agents ls/show list the connected agent, in a table and as JSON. */
  @Test
  void agentsAreListedAndShown() {
    Result json = cli.run("agents", "ls", "--json");
    assertThat(json.exitCode()).isZero();
    assertThat(Json.parse(json.out()).path("items").findValuesAsText("id")).contains(agent.id());

    Result table = cli.run("agents", "ls", "--tag", "lab");
    assertThat(table.out()).startsWith("ID").contains(agent.id()).contains("fake-" + agent.id().substring(0, 8));

    Result show = cli.run("agents", "show", agent.id());
    assertThat(show.exitCode()).isZero();
    assertThat(show.out()).contains("hostname:").contains(agent.id());
  }

  /** An API token can be created, listed and revoked; the revoked one no longer works. */
  @Test
  void tokensLifecycle() {
    JsonNode t = Json.parse(cli.run("tokens", "create", "--name", "ci", "--role", "operator", "--json").out());
    assertThat(cli.run("tokens", "ls").out()).contains(t.path("id").asText()).contains("operator");
    assertThat(cli.run("rollout", "ls", "--token", t.path("token").asText()).exitCode()).isZero();

    Result rm = cli.run("tokens", "rm", t.path("id").asText());
    assertThat(rm.exitCode()).as(rm.toString()).isZero();
    // the gateway caches token lookups briefly; a revoked token must fail within that time
    int code = -1;
    for (int i = 0; i < 150 && code != ExitCodes.AUTH; i++) {
      code = cli.run("rollout", "ls", "--token", t.path("token").asText()).exitCode();
      sleep(200);
    }
    assertThat(code).isEqualTo(ExitCodes.AUTH);

    Result enrollment = cli.run("tokens", "enrollment", "--max-uses", "3", "--tag", "kiosk", "--expires-at", "2h");
    assertThat(enrollment.exitCode()).as(enrollment.toString()).isZero();
    assertThat(enrollment.out()).contains("enrollment token for 3 agent(s)");
  }

  /** Enrollment tokens are listed with their uses (never the secret) and revoked by id. */
  @Test
  void enrollmentTokensAreListedAndRevoked() {
    JsonNode t = Json.parse(cli.run("tokens", "enrollment", "--max-uses", "4", "--tag", "lobby", "--json").out());
    String id = t.path("id").asText();
    Result ls = cli.run("tokens", "enrollment-ls");
    assertThat(ls.exitCode()).as(ls.toString()).isZero();
    assertThat(ls.out()).contains(id).contains("0/4").contains("active").doesNotContain(t.path("token").asText());

    Result rm = cli.run("tokens", "enrollment-rm", id);
    assertThat(rm.exitCode()).as(rm.toString()).isZero();
    JsonNode page = Json.parse(cli.run("tokens", "enrollment-ls", "--json", "--all").out());
    JsonNode listed = null;
    for (JsonNode x : page.path("items")) {
      if (x.path("id").asText().equals(id)) {
        listed = x;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.path("state").asText()).isEqualTo("revoked");
    assertThat(cli.run("tokens", "enrollment-rm", id).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  /** package push streams a file and adds its program, ls lists it, rm deletes it (then it is unknown: exit 4). */
  @Test
  void packageLifecycle() throws Exception {
    Path file = home.resolve("tool.sh");
    java.nio.file.Files.writeString(file, "#!/bin/sh\necho installed\n");
    Result push = cli.run("package", "push", file.toString(), "--name", "tool", "--version", "1.0",
        "--program", "install", "--command", "sh", "--args", "{file}");
    assertThat(push.exitCode()).as(push.toString()).isZero();
    assertThat(push.out()).contains("uploaded tool 1.0").contains("program install");
    assertThat(cli.run("package", "ls").out()).contains("tool").contains("1.0");
    Result rm = cli.run("package", "rm", "tool@1.0");
    assertThat(rm.exitCode()).as(rm.toString()).isZero();
    assertThat(cli.run("package", "rm", "tool@1.0").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(cli.run("package", "push", home.resolve("missing.bin").toString(), "--name", "x", "--version", "1")
        .exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  /** cluster ls shows the one node with its connected agent. */
  @Test
  void clusterListsTheNode() {
    Result r = cli.run("cluster", "ls", "--json");
    assertThat(r.exitCode()).isZero();
    assertThat(Json.parse(r.out()).path("nodes")).hasSize(1);
    assertThat(cli.run("cluster", "ls").out()).contains("1 cluster member(s)");
    Result drainUnknown = cli.run("cluster", "drain", "no-such-node");
    assertThat(drainUnknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  /** wake shows the server's answer or its error plainly, with a matching exit code. */
  @Test
  void wakeShowsTheServersAnswer() {
    Result r = cli.run("wake", "--agent", agent.id());
    if (r.exitCode() == 0) {
      assertThat(r.out()).contains("request:");
    } else {
      assertThat(r.err()).startsWith("fleetctl: ").contains("(HTTP ");
    }
    Result none = cli.run("wake");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  /** Without a login, commands say how to log in and exit 3. */
  @Test
  void withoutLoginCommandsExplainHowToLogIn() {
    Result r = new CliRun(home.resolve("nowhere/fleetctl.json")).run("agents", "ls");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.AUTH);
    assertThat(r.err()).contains("not logged in").contains("fleetctl login");
  }

  /** A gateway that is not there is exit 1 with the URL in the message. */
  @Test
  void unreachableGatewayIsExit1() {
    Result r = cli.run("rollout", "ls", "--url", "http://127.0.0.1:1");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("Cannot reach the server").contains("http://127.0.0.1:1");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
