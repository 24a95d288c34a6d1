package io.fleetcast.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.protocol.CloseCodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input on the agent channel and the API gets the specified answer and a counter, and
 * never disturbs a bystander agent.
 */
@Timeout(120)
class HostileInputTest {
  static TestServer server;
  static Vertx vertx;
  static Api api;
  static FakeAgent bystander;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
    bystander = FakeAgent.fromEnrollment(vertx, api.enroll(1, "bystander").get(0));
    bystander.connect(server.agentUrl()).await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    server.close();
  }

  private int upgradeStatus(String bearer) {
    FakeAgent a = new FakeAgent(vertx, "x", "y");
    try {
      a.open(server.agentUrl(), bearer).await();
      return 101;
    } catch (UpgradeRejectedException e) {
      return e.getStatus();
    } finally {
      a.close();
    }
  }

  /** Missing, malformed and wrong credentials get 401 before any upgrade; a revoked agent gets 403. */
  @Test
  void credentialsAreCheckedBeforeTheUpgrade() {
    JsonObject enrolled = api.enroll(1).get(0);
    String id = enrolled.getString("agentId");
    assertThat(upgradeStatus(null)).isEqualTo(401);
    assertThat(upgradeStatus("garbage")).isEqualTo(401);
    assertThat(upgradeStatus(id + ".wrong-secret")).isEqualTo(401);
    assertThat(upgradeStatus("not-a-uuid." + enrolled.getString("agentSecret"))).isEqualTo(401);
    assertThat(upgradeStatus(id + "." + enrolled.getString("agentSecret"))).isEqualTo(101);
    assertThat(api.delete("/api/v1/agents/" + id).status()).isEqualTo(204);
    Waits.until(() -> upgradeStatus(id + "." + enrolled.getString("agentSecret")) == 403 ? true : null,
        Duration.ofSeconds(5));
    assertThat(metric("fleetcast_agent_upgrades_rejected_total{reason=\"unauthorized\"")).isGreaterThanOrEqualTo(4);
    assertThat(metric("fleetcast_agent_upgrades_rejected_total{reason=\"revoked\"")).isGreaterThanOrEqualTo(1);
    assertBystanderStillServed();
  }

  /** Each bad frame closes only its own connection with the specified code and is counted by reason. */
  @Test
  void badFramesCloseWithTheSpecifiedCodes() {
    expectClose("{not json", CloseCodes.INVALID_PAYLOAD, true, "invalid_json");
    expectClose("{\"type\":\"ack\",\"taskId\":\"t1\"}", CloseCodes.POLICY_VIOLATION, false, "unexpected_message");
    expectClose("{\"type\":\"result\",\"status\":\"succeeded\"}", CloseCodes.POLICY_VIOLATION, true, "missing_field");
    expectClose("{\"type\":\"result\",\"taskId\":5,\"status\":\"succeeded\"}", CloseCodes.POLICY_VIOLATION, true,
        "invalid_field");
    expectClose("{\"type\":\"progress\",\"taskId\":\"t\",\"percent\":\"lots\"}", CloseCodes.POLICY_VIOLATION, true,
        "invalid_field");
    expectClose("{\"type\":\"ack\",\"taskId\":\"" + "x".repeat(70_000) + "\"}", CloseCodes.TOO_BIG, true, "too_big");
    expectClose("[" .repeat(5000) + "]".repeat(5000), CloseCodes.INVALID_PAYLOAD, true, "invalid_json");
    expectClose("{\"type\":\"hello\",\"agentId\":\"" + java.util.UUID.randomUUID() + "\"}", CloseCodes.POLICY_VIOLATION,
        false, "invalid_field");
    assertBystanderStillServed();
  }

  /** A binary frame is not part of the protocol: 1003. */
  @Test
  void binaryFrameIsRefused() {
    FakeAgent a = FakeAgent.fromEnrollment(vertx, api.enroll(1).get(0));
    a.connect(server.agentUrl()).await();
    a.socket().writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
    Waits.until(() -> a.closed() ? true : null, Duration.ofSeconds(5));
    assertThat(a.closeCode()).isEqualTo((short) CloseCodes.UNSUPPORTED_DATA);
    assertBystanderStillServed();
  }

  /** An unknown message type is ignored and counted; the connection stays open. */
  @Test
  void unknownTypeIsIgnoredAndCounted() throws Exception {
    FakeAgent a = FakeAgent.fromEnrollment(vertx, api.enroll(1).get(0));
    a.connect(server.agentUrl()).await();
    double before = metric("fleetcast_agent_messages_in_total{role=\"standalone\",type=\"unknown\"");
    a.send("{\"type\":\"fromTheFuture\",\"x\":1}");
    Waits.until(() -> metric("fleetcast_agent_messages_in_total{role=\"standalone\",type=\"unknown\"")
        > before ? true : null, Duration.ofSeconds(5));
    Thread.sleep(200);
    assertThat(a.closed()).isFalse();
    a.close();
  }

  /** Invalid API bodies, missing or wrong tokens and a viewer calling an operator route get problem+json answers. */
  @Test
  void apiRefusesBadCallsWithProblemJson() {
    Api anonymous = api.as(null);
    Api.Res r = anonymous.get("/api/v1/rollouts");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(api.as("fct_nope").get("/api/v1/rollouts").status()).isEqualTo(401);

    String viewer = api.post("/api/v1/api-tokens", new JsonObject().put("name", "v").put("role", "viewer")).json()
        .getString("token");
    Api.Res denied = api.as(viewer).post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("all", true)));
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.json().getString("detail")).contains("operator");
    assertThat(api.as(viewer).get("/api/v1/rollouts").status()).isEqualTo(200);
    String operator = api.post("/api/v1/api-tokens", new JsonObject().put("name", "o").put("role", "operator")).json()
        .getString("token");
    assertThat(api.as(operator).post("/api/v1/api-tokens", new JsonObject().put("name", "x").put("role", "admin"))
        .status()).isEqualTo(403);

    Api.Res invalid = api.post("/api/v1/rollouts", new JsonObject().put("name", 5)
        .put("steps", new JsonArray().add(new JsonObject().put("kind", "exec").put("spec", new JsonObject())))
        .put("targets", new JsonObject().put("subnets", new JsonArray().add("10.0.0.0/99")))
        .put("strategy", new JsonObject().put("maxInFlight", -1).put("bogus", true)));
    assertThat(invalid.status()).isEqualTo(400);
    JsonArray errors = invalid.json().getJsonArray("errors");
    assertThat(errors.stream().map(o -> ((JsonObject) o).getString("field")).toList())
        .contains("name", "steps[0].spec.command", "targets.subnets[0]", "strategy.maxInFlight", "strategy.bogus");

    assertThat(api.post("/api/v1/rollouts", "{not json").status()).isEqualTo(400);
    assertThat(api.post("/api/v1/rollouts", "[]").status()).isEqualTo(400);
    assertThat(api.post("/api/v1/rollouts", "x".repeat(2_000_000)).status()).isEqualTo(413);
    assertThat(api.get("/api/v1/rollouts/not-a-uuid").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/rollouts?limit=0").status()).isEqualTo(400);
    assertThat(api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("agents", new JsonArray().add(java.util.UUID.randomUUID().toString())))).status()).isEqualTo(400);
    assertThat(metric("fleetcast_api_rejected_total{reason=\"forbidden\"")).isGreaterThanOrEqualTo(2);
  }

  private void expectClose(String frame, int code, boolean afterHello, String reason) {
    double before = metric("fleetcast_agent_frames_rejected_total{reason=\"" + reason + "\"");
    JsonObject enrolled = api.enroll(1).get(0);
    FakeAgent a = FakeAgent.fromEnrollment(vertx, enrolled);
    if (afterHello) {
      a.connect(server.agentUrl()).await();
    } else {
      a.open(server.agentUrl(), enrolled.getString("agentId") + "." + enrolled.getString("agentSecret")).await();
    }
    a.send(frame);
    Waits.until(() -> a.closed() ? true : null, Duration.ofSeconds(5));
    assertThat(a.closeCode()).as("close code for %s", frame.length() > 60 ? frame.substring(0, 60) : frame)
        .isEqualTo((short) code);
    try {
      Waits.until(() -> metric("fleetcast_agent_frames_rejected_total{reason=\"" + reason + "\"")
          > before ? true : null, Duration.ofSeconds(5));
    } catch (AssertionError e) {
      String m = new Api(server.apiUrl(), null).get("/metrics").body();
      throw new AssertionError("no frames_rejected count for " + reason + "; have: "
          + m.lines().filter(l -> l.contains("frames_rejected")).toList());
    }
  }

  private void assertBystanderStillServed() {
    assertThat(bystander.closed()).isFalse();
    String id = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("agents", new JsonArray().add(bystander.id())))).json().getString("id");
    Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(20));
  }

  /** Sum of the samples whose line starts with {@code prefix} (a metric name with its first labels). */
  static double metric(String prefix) {
    String text = new Api(server.apiUrl(), null).get("/metrics").body();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix.contains("{") ? prefix.substring(0, prefix.indexOf('{')) : prefix) && matches(line, prefix)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static boolean matches(String line, String prefix) {
    if (!prefix.contains("{")) {
      return line.startsWith(prefix + "{") || line.startsWith(prefix + " ");
    }
    String name = prefix.substring(0, prefix.indexOf('{'));
    if (!line.startsWith(name + "{")) {
      return false;
    }
    for (String label : prefix.substring(prefix.indexOf('{') + 1).split(",")) {
      if (!line.contains(label)) {
        return false;
      }
    }
    return true;
  }

}
