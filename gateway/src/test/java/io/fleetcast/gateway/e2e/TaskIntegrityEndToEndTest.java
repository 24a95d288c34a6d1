package io.fleetcast.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.SharedTestServer;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a target may claim, through a real server and protocol-level agents (issue 11): results and
 * acks only for a step dispatched to it, targeting by trusted tags only, agent ids in any case,
 * and a release signed for every dispatch.
 */
@Timeout(120)
class TaskIntegrityEndToEndTest {
  static TestServer server;
  static Vertx vertx;
  static Api api;

  @BeforeAll
  static void start() {
    server = SharedTestServer.get();
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static FakeAgent connect(JsonObject enrolled, Facts facts) {
    FakeAgent a = FakeAgent.fromEnrollment(vertx, enrolled).facts(facts);
    a.connect(server.agentUrl()).await();
    return a;
  }

  static double metric(String name, String label) {
    double sum = 0;
    for (String line : new Api(server.apiUrl(), null).get("/metrics").body().split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  static JsonObject target(String rolloutId, String agentId) {
    for (Object o : api.get("/api/v1/rollouts/" + rolloutId + "/targets").json().getJsonArray("items")) {
      JsonObject t = (JsonObject) o;
      if (t.getString("agentId").equals(agentId)) {
        return t;
      }
    }
    throw new AssertionError("no target " + agentId);
  }

  /**
   * Issue 11 #8: a second-wave target that learnt the step's task id (shared by all targets) sends
   * ack + result before its wave is released: it is answered stored=false, counted, and stays
   * pending; once its wave is released it gets the task and its real result is stored.
   */
  @Test
  void laterWaveTargetCannotReportBeforeItIsDispatched() {
    // GIVEN two connected agents and a rollout in two waves; the first-wave agent holds its task
    List<JsonObject> enrolled = api.enroll(2, "int-waves");
    FakeAgent a = connect(enrolled.get(0), Facts.EMPTY).autoAnswer(false);
    FakeAgent b = connect(enrolled.get(1), Facts.EMPTY).autoAnswer(false);
    JsonObject body = Waits.execRollout(new JsonObject().put("tags", new JsonArray().add("int-waves")))
        .put("strategy", new JsonObject().put("waves", new JsonArray().add(50).add(100)));
    String id = api.post("/api/v1/rollouts", body).json().getString("id");
    FakeAgent first = Waits.until(() -> !a.tasks().isEmpty() ? a : !b.tasks().isEmpty() ? b : null,
        Duration.ofSeconds(20));
    FakeAgent second = first == a ? b : a;
    NodeMessage.Task task = first.tasks().get(0);
    assertThat(task.release()).as("every dispatch carries a signed release").isNotNull();
    double refusedBefore = metric("fleetcast_results_stored_total", "outcome=\"refused\"");

    // WHEN the second-wave agent acks and reports success for the shared task id
    second.send(new AgentMessage.Ack(task.taskId()).encode());
    second.send(new AgentMessage.Result(task.taskId(), TaskStatus.SUCCEEDED, 0, "forged", Instant.now(), Instant.now())
        .encode());

    // THEN it is told the result was not stored, it is counted, and its target is still pending
    String ack = Waits.until(() -> second.received().stream().filter(s -> s.contains("resultAck")).findFirst()
        .orElse(null), Duration.ofSeconds(10));
    assertThat(new JsonObject(ack).getBoolean("stored")).isFalse();
    assertThat(new JsonObject(ack).getString("error")).contains("not dispatched");
    assertThat(metric("fleetcast_results_stored_total", "outcome=\"refused\"")).isGreaterThan(refusedBefore);
    assertThat(target(id, second.id()).getString("state")).isEqualTo("pending");
    assertThat(api.get("/api/v1/rollouts/" + id + "/results").json().getJsonArray("items")).isEmpty();

    // WHEN the first wave finishes
    first.send(new AgentMessage.Ack(task.taskId()).encode());
    first.send(new AgentMessage.Result(task.taskId(), TaskStatus.SUCCEEDED, 0, "real", Instant.now(), Instant.now())
        .encode());

    // THEN the second wave reaches the other agent, and its genuine result is stored
    Waits.until(() -> second.tasks().isEmpty() ? null : true, Duration.ofSeconds(20));
    second.send(new AgentMessage.Ack(task.taskId()).encode());
    second.send(new AgentMessage.Result(task.taskId(), TaskStatus.SUCCEEDED, 0, "real", Instant.now(), Instant.now())
        .encode());
    Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(20));
    JsonArray results = api.get("/api/v1/rollouts/" + id + "/results").json().getJsonArray("items");
    assertThat(results).hasSize(2);
    results.forEach(r -> assertThat(((JsonObject) r).getString("output")).isEqualTo("real"));
    a.close();
    b.close();
  }

  /**
   * Issue 11 #10: tags an agent reports about itself do not make it a target of a tag-targeted
   * rollout; only its trusted tags (from the enrollment token) do, or the explicit reportedTags
   * selector. The API shows both sets apart.
   */
  @Test
  void selfReportedTagsAreNotTrusted() {
    // GIVEN an agent enrolled with tag "int-site" that claims "int-finance" in its facts
    JsonObject enrolled = api.enroll(1, "int-site").get(0);
    Facts claims = new Facts("claimer", "linux", "amd64", List.of("127.0.0.1"), List.of(), List.of("127.0.0.0/8"),
        List.of("int-finance"), List.of());
    FakeAgent agent = connect(enrolled, claims);
    String path = "/api/v1/agents/" + agent.id();
    Waits.until(() -> api.get(path).json().getJsonArray("reportedTags").contains("int-finance") ? true : null,
        Duration.ofSeconds(10));
    JsonObject shown = api.get(path).json();
    assertThat(shown.getJsonArray("tags").getList()).containsExactly("int-site");
    assertThat(shown.getString("connectedSince")).isNotNull();

    // WHEN rollouts target the claimed tag, the trusted one, and the claimed one by the opt-in selector
    int byClaim = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("tags",
        new JsonArray().add("int-finance")))).json().getInteger("targets");
    int byTrusted = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("tags",
        new JsonArray().add("int-site")))).json().getInteger("targets");
    int byOptIn = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("reportedTags",
        new JsonArray().add("int-finance")))).json().getInteger("targets");

    // THEN the claim alone reaches nothing; the trusted tag and the explicit opt-in do
    assertThat(byClaim).isZero();
    assertThat(byTrusted).isEqualTo(1);
    assertThat(byOptIn).isEqualTo(1);
    agent.close();
  }

  /**
   * Issue 11 #6: an agent id typed in upper case is accepted, resolved and signed in canonical form,
   * so the agent finds itself in the scope; the path parameter and the credential may be upper case too.
   */
  @Test
  void upperCaseAgentIdIsNormalised() {
    JsonObject enrolled = api.enroll(1, "int-case").get(0);
    FakeAgent agent = connect(enrolled, Facts.EMPTY);
    String upper = agent.id().toUpperCase();
    // the credential itself names the same agent in either case (bootstrap as on the agent port)
    assertThat(api.as(upper + "." + enrolled.getString("agentSecret")).get("/agent/v1/bootstrap").status())
        .isEqualTo(200);
    Api.Res created = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("agents",
        new JsonArray().add(upper))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().getInteger("targets")).isEqualTo(1);
    Waits.rolloutState(api, created.json().getString("id"), Set.of("completed"), Duration.ofSeconds(20));
    NodeMessage.Task task = agent.tasks().get(0);
    assertThat(task.scope().getJsonArray("agents").getList()).containsExactly(agent.id());
    assertThat(api.get("/api/v1/agents/" + upper).status()).isEqualTo(200);
    agent.close();
  }
}
