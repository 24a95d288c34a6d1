package io.fleetcast.gateway.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code PATCH /api/v1/agents/{id}} (assigned tags, admin only, audited) and the agents list's hostname and node filters. */
@Timeout(120)
class AgentTagsApiTest {
  static TestServer server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.apiUrl(), server.adminToken());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** An admin replaces an agent's trusted tags, which tag targeting then matches; bad tags are per-field errors; operators get 403. */
  @Test
  void adminsSetTrustedTags() {
    String id = api.enroll(1, "lab").get(0).getString("agentId");
    Api.Res r = api.patch("/api/v1/agents/" + id, new JsonObject().put("tags", new JsonArray().add("rack-7").add("lab")));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getJsonArray("tags")).containsExactly("lab", "rack-7");
    assertThat(api.get("/api/v1/agents?tag=rack-7").json().getJsonArray("items")).hasSize(1);
    Api.Res bad = api.patch("/api/v1/agents/" + id, new JsonObject().put("tags", new JsonArray().add("no spaces")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("tags[0]");
    String operator = api.post("/api/v1/api-tokens", new JsonObject().put("name", "op").put("role", "operator")).json()
        .getString("token");
    assertThat(api.as(operator).patch("/api/v1/agents/" + id, new JsonObject().put("tags", new JsonArray())).status())
        .isEqualTo(403);
    assertThat(api.patch("/api/v1/agents/" + java.util.UUID.randomUUID(), new JsonObject().put("tags", new JsonArray()))
        .status()).isEqualTo(404);
    assertThat(api.get("/api/v1/audit?limit=1000").json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("action"))).contains("agent.tags");
  }

  /** q matches part of the hostname case-insensitively (LIKE wildcards are literal); node matches online agents of a node. */
  @Test
  void listFiltersByHostnameAndNode() {
    api.enroll(12, "search");
    assertThat(api.get("/api/v1/agents?tag=search&q=HOST-1").json().getJsonArray("items")).hasSize(3); // host-1, -10, -11
    assertThat(api.get("/api/v1/agents?tag=search&q=%25").json().getJsonArray("items")).isEmpty();
    assertThat(api.get("/api/v1/agents?tag=search&node=nobody").json().getJsonArray("items")).isEmpty();
  }
}
