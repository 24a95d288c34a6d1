package io.fleetcast.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rollout endpoints the console uses, against a real server: target preview, per-host table
 * (paged, sorted, filtered), one host, waves, CSV export, re-run. The 30 targets are enrolled
 * agents that never connect, so every state is set by the server itself.
 */
@Timeout(120)
class RolloutConsoleApiTest {
  static TestServer server;
  static Api api;
  static String rollout;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.apiUrl(), server.adminToken());
    api.enroll(30, "table");
    Api.Res created = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("tags", new JsonArray().add("table"))).put("strategy", new JsonObject().put("waves", new JsonArray().add(10).add(100))
            .put("maxFailurePercent", 5)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    rollout = created.json().getString("id");
    Waits.targetsResolved(api, rollout, 30, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The preview counts the agents a selector names (and how many are online) without creating anything; bad selectors get field errors. */
  @Test
  void previewCountsTargets() {
    JsonObject p = api.post("/api/v1/rollouts/preview", new JsonObject().put("targets", new JsonObject()
        .put("tags", new JsonArray().add("table")))).json();
    assertThat(p.getInteger("targets")).isEqualTo(30);
    assertThat(p.getInteger("online")).isZero();
    Api.Res bad = api.post("/api/v1/rollouts/preview", new JsonObject().put("targets", new JsonObject()
        .put("subnets", new JsonArray().add("10.1.2.3/8"))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("targets.subnets[0]");
  }

  /** The host table pages by offset with a total, sorts by hostname both ways, filters by state; one host shows its row. */
  @Test
  void hostTablePagesSortsAndFilters() {
    JsonObject first = api.get("/api/v1/rollouts/" + rollout + "/hosts?limit=10&sort=hostname").json();
    assertThat(first.getInteger("total")).isEqualTo(30);
    JsonArray items = first.getJsonArray("items");
    assertThat(items).hasSize(10);
    assertThat(items.getJsonObject(0).getString("hostname")).isEqualTo("host-0");
    assertThat(items.getJsonObject(1).getString("hostname")).isEqualTo("host-1");
    assertThat(items.getJsonObject(2).getString("hostname")).isEqualTo("host-10");
    JsonObject last = api.get("/api/v1/rollouts/" + rollout + "/hosts?limit=10&offset=20&sort=hostname&order=desc").json();
    assertThat(last.getJsonArray("items").getJsonObject(9).getString("hostname")).isEqualTo("host-0");
    assertThat(api.get("/api/v1/rollouts/" + rollout + "/hosts?state=succeeded").json().getInteger("total")).isZero();
    String agent = items.getJsonObject(0).getString("agentId");
    JsonObject host = api.get("/api/v1/rollouts/" + rollout + "/hosts/" + agent).json();
    assertThat(host.getString("state")).isEqualTo("pending");
    assertThat(host.getJsonArray("results")).isEmpty();
    JsonObject byExit = api.get("/api/v1/rollouts/" + rollout + "/hosts?limit=5&sort=exitCode&order=desc").json();
    assertThat(byExit.getJsonArray("items")).hasSize(5); // no results yet: every exit code is null, ties by agent
    assertThat(api.get("/api/v1/rollouts/" + rollout + "/hosts?sort=nope").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/rollouts/" + java.util.UUID.randomUUID() + "/hosts").status()).isEqualTo(404);
  }

  /** Waves report counts per wave (wave 1 = the 10 % canary) with the rollout's failure threshold. */
  @Test
  void wavesReportCountsAndThreshold() {
    JsonObject w = api.get("/api/v1/rollouts/" + rollout + "/waves").json();
    assertThat(w.getDouble("maxFailurePercent")).isEqualTo(5.0);
    JsonObject wave1 = w.getJsonArray("waves").getJsonObject(0);
    assertThat(wave1.getInteger("wave")).isEqualTo(1);
    assertThat(wave1.getJsonObject("counts").getInteger("pending")).isEqualTo(3);
  }

  /** The CSV export has a header and one line per target. */
  @Test
  void exportIsCsv() {
    Api.Res csv = api.get("/api/v1/rollouts/" + rollout + "/export");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    List<String> lines = csv.body().lines().toList();
    assertThat(lines.get(0)).startsWith("agentId,hostname,state,step,exitCode,reason");
    assertThat(lines).hasSize(31);
  }

  /** Re-running the "offline" targets of a cancelled rollout (never dispatched) creates a rollout for exactly those agents. */
  @Test
  void rerunCreatesARolloutForTheChosenStates() {
    api.enroll(4, "rerun");
    String id = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("tags", new JsonArray().add("rerun"))))
        .json().getString("id");
    assertThat(api.post("/api/v1/rollouts/" + id + "/rerun", new JsonObject().put("states", new JsonArray().add("failed")))
        .status()).as("nothing failed yet").isEqualTo(409);
    api.post("/api/v1/rollouts/" + id + "/cancel", null);
    Waits.rolloutState(api, id, Set.of("cancelled"), Duration.ofSeconds(20));
    Api.Res re = api.post("/api/v1/rollouts/" + id + "/rerun", new JsonObject().put("states", new JsonArray().add("offline")));
    assertThat(re.status()).as(re.body()).isEqualTo(201);
    assertThat(re.json().getInteger("targets")).isEqualTo(4);
    assertThat(re.json().getString("rerunOf")).isEqualTo(id);
    JsonObject created = api.get("/api/v1/rollouts/" + re.json().getString("id")).json();
    assertThat(created.getString("name")).startsWith("re-run of ");
    Api.Res bad = api.post("/api/v1/rollouts/" + id + "/rerun", new JsonObject().put("states", new JsonArray().add("running")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("states[0]");
  }
}
