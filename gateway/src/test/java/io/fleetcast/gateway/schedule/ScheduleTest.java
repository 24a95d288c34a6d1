package io.fleetcast.gateway.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.app.ServerRuntime;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Recurring schedules: each firing creates exactly one rollout even with two gateways racing for it. */
@Timeout(240)
class ScheduleTest {

  @Test
  void firesOncePerTickWithTwoGateways() throws Exception {
    try (TestServer server = TestServer.start()) {
      ServerRuntime second = server.startMember(true, false, Map.of());
      Vertx vertx = Vertx.vertx();
      try {
        Api api = new Api(server.apiUrl(), server.adminToken());
        Api api2 = new Api("http://127.0.0.1:" + second.gateway().port(), server.adminToken());
        FakeAgent agent = FakeAgent.fromEnrollment(vertx, api.enroll(1, "nightly").get(0));
        agent.connect(server.agentUrl()).await();

        // GIVEN a schedule firing every two seconds, created through the second gateway
        JsonObject template = Waits.execRollout(new JsonObject().put("tags", new JsonArray().add("nightly")));
        template.remove("name");
        Api.Res created = api2.post("/api/v1/schedules", new JsonObject().put("name", "nightly-maint")
            .put("cron", "*/2 * * * * ?").put("timeZone", "Europe/Berlin").put("rollout", template)
            .put("expiresAfterMinutes", 30));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String scheduleId = created.json().getString("id");
        // AND a marker schedule on the same cron, aimed at nobody: its firings show that ticks happen
        JsonObject nobody = Waits.execRollout(new JsonObject().put("tags", new JsonArray().add("nobody")));
        nobody.remove("name");
        assertThat(api.post("/api/v1/schedules", new JsonObject().put("name", "marker").put("cron", "*/2 * * * * ?")
            .put("rollout", nobody)).status()).isEqualTo(201);
        assertThat(api.get("/api/v1/schedules").json().getJsonArray("items")).hasSize(2);

        // WHEN it has fired three times, and is then deleted
        Waits.until(() -> named(api, "nightly-maint @").size() >= 3 ? true : null, Duration.ofSeconds(90));
        assertThat(api.delete("/api/v1/schedules/" + scheduleId).status()).isEqualTo(204);
        int markersAtDelete = named(api, "marker @").size();
        List<JsonObject> rollouts = named(api, "nightly-maint @");

        // THEN every firing time produced exactly one rollout, and each reached the agent
        assertThat(rollouts.size()).isGreaterThanOrEqualTo(3);
        Set<String> names = new HashSet<>();
        rollouts.forEach(r -> assertThat(names.add(r.getString("name"))).as("one rollout per firing").isTrue());
        for (JsonObject r : rollouts) {
          Waits.rolloutState(api, r.getString("id"), Set.of("completed"), Duration.ofSeconds(20));
        }
        assertThat(agent.tasks()).hasSize(rollouts.size());

        // AND once the marker fired twice more (a whole tick after the delete), the deleted one did not
        Waits.until(() -> named(api, "marker @").size() >= markersAtDelete + 2 ? true : null, Duration.ofSeconds(60));
        assertThat(named(api, "nightly-maint @")).as("a deleted schedule no longer fires").hasSize(rollouts.size());
        agent.close();
      } finally {
        vertx.close().await();
        second.close();
      }
    }
  }

  /** Issue 11 #16: a firing's rollout carries the template's own name (the schedule's name only when it has none). */
  @Test
  void firingUsesTheRolloutsOwnName() {
    java.time.Instant at = java.time.Instant.parse("2026-12-01T02:00:00Z");
    assertThat(ScheduleFirer.rolloutName(new JsonObject().put("name", "patch tuesday"), "nightly", at))
        .isEqualTo("patch tuesday @ 2026-12-01T02:00:00Z");
    assertThat(ScheduleFirer.rolloutName(new JsonObject(), "nightly", at)).isEqualTo("nightly @ 2026-12-01T02:00:00Z");
    assertThat(ScheduleFirer.rolloutName(new JsonObject().put("name", " "), "nightly", at)).startsWith("nightly @");
  }

  private static List<JsonObject> named(Api api, String prefix) {
    return api.get("/api/v1/rollouts?limit=100").json().getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(r -> r.getString("name").startsWith(prefix)).toList();
  }

  /** Bad cron expressions, zones and templates are refused with per-field errors. */
  @Test
  void invalidSchedulesAreRefused() {
    try (TestServer server = TestServer.start()) {
      Api api = new Api(server.apiUrl(), server.adminToken());
      JsonObject template = Waits.execRollout(new JsonObject().put("all", true));
      Api.Res badCron = api.post("/api/v1/schedules", new JsonObject().put("name", "x").put("cron", "every night")
          .put("rollout", template));
      assertThat(badCron.status()).isEqualTo(400);
      assertThat(badCron.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("cron");
      Api.Res badZone = api.post("/api/v1/schedules", new JsonObject().put("name", "x").put("cron", "0 2 * * *")
          .put("timeZone", "Mars/Olympus").put("rollout", template));
      assertThat(badZone.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("timeZone");
      JsonObject fixed = template.copy().put("strategy", new JsonObject().put("expiresAt", Instant.now().plusSeconds(60).toString()));
      Api.Res badTemplate = api.post("/api/v1/schedules", new JsonObject().put("name", "x").put("cron", "0 2 * * *")
          .put("rollout", fixed));
      assertThat(badTemplate.status()).isEqualTo(400);
      Api.Res badSteps = api.post("/api/v1/schedules", new JsonObject().put("name", "x").put("cron", "0 2 * * *")
          .put("rollout", template.copy().put("steps", new JsonArray())));
      assertThat(badSteps.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("rollout.steps");
      Api.Res ok = api.post("/api/v1/schedules", new JsonObject().put("name", "nightly").put("cron", "0 2 * * *")
          .put("timeZone", "Europe/Berlin").put("rollout", template));
      assertThat(ok.status()).isEqualTo(201);
      assertThat(Instant.parse(ok.json().getString("nextFireAt"))).isAfter(Instant.now());
    }
  }
}
