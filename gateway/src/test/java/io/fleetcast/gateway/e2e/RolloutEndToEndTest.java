package io.fleetcast.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rollouts through a real server (API, node, Postgres) to protocol-level agents. */
@Timeout(120)
class RolloutEndToEndTest {
  static TestServer server;
  static Vertx vertx;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    server.close();
  }

  static List<FakeAgent> connect(List<JsonObject> enrolled) {
    List<FakeAgent> agents = new ArrayList<>();
    List<Future<FakeAgent>> fs = new ArrayList<>();
    for (JsonObject e : enrolled) {
      FakeAgent a = FakeAgent.fromEnrollment(vertx, e);
      agents.add(a);
      fs.add(a.connect(server.agentUrl()));
    }
    Future.all(fs).await();
    return agents;
  }

  /** Every connected target gets the task once, every result is stored once and listed by the results API. */
  @Test
  void rolloutReachesEveryAgentAndStoresEachResultOnce() {
    // GIVEN 50 connected agents tagged "e2e-a"
    List<FakeAgent> agents = connect(api.enroll(50, "e2e-a"));
    // WHEN a rollout targets the tag
    Api.Res created = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("tags", new JsonArray().add("e2e-a"))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.header("Location")).startsWith("/api/v1/rollouts/");
    String id = created.json().getString("id");
    assertThat(created.json().getInteger("targets")).isEqualTo(50);
    // THEN it completes with 50 successes
    JsonObject done = Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(30));
    assertThat(done.getJsonObject("counts").getInteger("succeeded")).isEqualTo(50);
    for (FakeAgent a : agents) {
      assertThat(a.runs()).hasSize(1);
      assertThat(a.runs().values().iterator().next().get()).isEqualTo(1);
    }
    // AND the results API pages through exactly one result per agent
    Set<String> seen = new HashSet<>();
    String after = null;
    int pages = 0;
    do {
      JsonObject page = api.get("/api/v1/rollouts/" + id + "/results?limit=20" + (after == null ? "" : "&after=" + after)).json();
      for (Object o : page.getJsonArray("items")) {
        JsonObject item = (JsonObject) o;
        assertThat(item.getString("status")).isEqualTo("succeeded");
        assertThat(item.getString("output")).startsWith("output of ");
        assertThat(seen.add(item.getString("agentId"))).isTrue();
      }
      after = page.getString("next");
      pages++;
    } while (after != null);
    assertThat(seen).hasSize(50);
    assertThat(pages).isEqualTo(3);
    agents.forEach(FakeAgent::close);
  }

  /** A re-sent result is acknowledged and changes nothing; a result for a task never sent is refused with stored=false. */
  @Test
  void duplicateResultIsAcknowledgedAndForeignResultIsRefused() {
    List<FakeAgent> agents = connect(api.enroll(2, "e2e-dup"));
    FakeAgent a = agents.get(0);
    FakeAgent b = agents.get(1);
    String id = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("agents", new JsonArray().add(a.id()))))
        .json().getString("id");
    Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(20));
    String taskId = a.tasks().get(0).taskId();
    int acksBefore = a.resultAcks();
    // the same result again
    a.send(new AgentMessage.Result(taskId, TaskStatus.FAILED, 9, "changed?", Instant.now(), Instant.now()).encode());
    Waits.until(() -> a.resultAcks() > acksBefore ? true : null, Duration.ofSeconds(10));
    JsonObject results = api.get("/api/v1/rollouts/" + id + "/results").json();
    assertThat(results.getJsonArray("items")).hasSize(1);
    assertThat(results.getJsonArray("items").getJsonObject(0).getString("status")).isEqualTo("succeeded");
    // agent b was never sent that task
    b.send(new AgentMessage.Result(taskId, TaskStatus.SUCCEEDED, 0, "not mine", Instant.now(), Instant.now()).encode());
    String ack = Waits.until(() -> b.received().stream().filter(s -> s.contains("resultAck")).findFirst().orElse(null),
        Duration.ofSeconds(10));
    assertThat(new JsonObject(ack).getBoolean("stored")).isFalse();
    assertThat(api.get("/api/v1/rollouts/" + id + "/results").json().getJsonArray("items")).hasSize(1);
    assertThat(b.closed()).isFalse();
    agents.forEach(FakeAgent::close);
  }

  /** A target that is offline stays pending and gets its task when it connects. */
  @Test
  void offlineTargetGetsTaskWhenItConnects() {
    List<JsonObject> enrolled = api.enroll(1, "e2e-offline");
    String agentId = enrolled.get(0).getString("agentId");
    String id = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("agents", new JsonArray().add(agentId))))
        .json().getString("id");
    JsonObject r = Waits.until(() -> {
      JsonObject x = api.get("/api/v1/rollouts/" + id).json();
      return x.getJsonObject("counts").getInteger("pending", 0) == 1 ? x : null;
    }, Duration.ofSeconds(10));
    assertThat(r.getString("state")).isEqualTo("running");
    FakeAgent late = connect(enrolled).get(0);
    Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(20));
    assertThat(late.runs()).hasSize(1);
    late.close();
  }
}
