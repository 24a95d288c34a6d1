package io.fleetcast.gateway.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Saved target groups: create/replace, list, delete, validation, and rollouts and previews that name a group. */
@Timeout(120)
class GroupsApiTest {
  static TestServer server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.apiUrl(), server.adminToken());
    api.enroll(3, "branch", "eu");
    api.enroll(2, "branch");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** PUT creates (201) then replaces (200); GET lists and shows it; DELETE removes it (204, then 404); all audited. */
  @Test
  void groupLifecycle() {
    JsonObject sel = new JsonObject().put("tags", new JsonArray().add("branch"));
    Api.Res created = api.put("/api/v1/groups/branches", new JsonObject().put("selector", sel).put("description", "all branches"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(api.put("/api/v1/groups/branches", new JsonObject().put("selector", sel)).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/groups").json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("name"))).contains("branches");
    assertThat(api.get("/api/v1/groups/branches").json().getJsonObject("selector")).isEqualTo(sel);
    assertThat(api.delete("/api/v1/groups/branches").status()).isEqualTo(204);
    assertThat(api.get("/api/v1/groups/branches").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/audit?limit=1000").json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("action"))).contains("group.put", "group.delete");
  }

  /** A selector is validated like a rollout's targets, with errors under selector.*; names are restricted. */
  @Test
  void invalidSelectorsAndNamesAreRefused() {
    Api.Res bad = api.put("/api/v1/groups/bad", new JsonObject().put("selector", new JsonObject()
        .put("subnets", new JsonArray().add("nonsense"))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("selector.subnets[0]");
    assertThat(api.put("/api/v1/groups/bad", new JsonObject().put("selector", new JsonObject()
        .put("group", "other"))).status()).as("groups do not nest").isEqualTo(400);
    assertThat(api.put("/api/v1/groups/" + "x".repeat(80), new JsonObject().put("selector", new JsonObject()
        .put("all", true))).status()).isEqualTo(404);
  }

  /** A rollout and a preview naming the group reach the agents of its selector; an unknown group is a field error. */
  @Test
  void rolloutsAndPreviewsResolveAGroup() {
    api.put("/api/v1/groups/eu-branches", new JsonObject().put("selector", new JsonObject()
        .put("tags", new JsonArray().add("branch").add("eu"))));
    JsonObject targets = new JsonObject().put("group", "eu-branches");
    assertThat(api.post("/api/v1/rollouts/preview", new JsonObject().put("targets", targets)).json().getInteger("targets"))
        .isEqualTo(3);
    Api.Res r = api.post("/api/v1/rollouts", Waits.execRollout(targets));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().getInteger("targets")).isEqualTo(3);
    Api.Res unknown = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("group", "nope")));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("targets.group");
    Api.Res mixed = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("group", "eu-branches")
        .put("all", true)));
    assertThat(mixed.status()).isEqualTo(400);
  }
}
