package io.fleetcast.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.gateway.app.ServerRuntime;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.protocol.CloseCodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several cluster members in one JVM: routing to the owning node, the reconnect race, load balancing, draining. */
@Timeout(180)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ClusterBehaviourTest {
  static TestServer server;
  static ServerRuntime nodeB;
  static Vertx vertx;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    nodeB = server.startMember(false, true, Map.of("node.id", "node-b"));
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
    Waits.until(() -> api.get("/api/v1/cluster").json().getJsonArray("nodes").size() == 2 ? true : null,
        Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    nodeB.close();
    server.close();
  }

  static String nodeBUrl() {
    return "ws://127.0.0.1:" + nodeB.node().port() + "/agent/v1";
  }

  /**
   * The reconnect race: the agent opens a second connection on node B while node A still holds
   * the first; A's late cleanup must not erase B's location, and tasks go to B.
   */
  @Test
  void reconnectRaceKeepsTheNewerLocation() {
    JsonObject enrolled = api.enroll(1, "race").get(0);
    FakeAgent onA = FakeAgent.fromEnrollment(vertx, enrolled);
    onA.connect(server.agentUrl()).await();
    // GIVEN the agent reconnects to B before A noticed anything
    FakeAgent onB = FakeAgent.fromEnrollment(vertx, enrolled);
    onB.connect(nodeBUrl()).await();
    // THEN A closes its (older) socket as superseded
    // the close code is recorded by the close handler, which runs just after the socket reads as closed
    Waits.until(() -> onA.closeCode() != null ? true : null, Duration.ofSeconds(10));
    assertThat(onA.closeCode()).isEqualTo((short) CloseCodes.SUPERSEDED);
    // AND a task for the agent is routed to B
    String id = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("agents", new JsonArray().add(onB.id())))).json().getString("id");
    try {
      Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(20));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; agent: " + api.get("/api/v1/agents/" + onB.id()).body()
          + "; onB closed=" + onB.closed() + " code=" + onB.closeCode() + " received=" + onB.received());
    }
    assertThat(onB.tasks()).hasSize(1);
    assertThat(onA.tasks()).isEmpty();
    JsonObject agent = api.get("/api/v1/agents/" + onB.id()).json();
    assertThat(agent.getBoolean("online")).isTrue();
    assertThat(agent.getString("nodeId")).isEqualTo("node-b");
    assertThat(metric("http://127.0.0.1:" + nodeB.node().port(), "fleetcast_agent_duplicate_sessions_total"))
        .as("counted by the node that took the newer connection").isGreaterThanOrEqualTo(1);
    onB.close();
  }

  /** Targets on two nodes: one message per node, every agent served by its own node. */
  @Test
  void rolloutSpansNodes() {
    List<JsonObject> enrolled = api.enroll(20, "span");
    List<FakeAgent> agents = new ArrayList<>();
    List<Future<FakeAgent>> fs = new ArrayList<>();
    for (int i = 0; i < enrolled.size(); i++) {
      FakeAgent a = FakeAgent.fromEnrollment(vertx, enrolled.get(i));
      agents.add(a);
      fs.add(a.connect(i % 2 == 0 ? server.agentUrl() : nodeBUrl()));
    }
    Future.all(fs).await();
    String id = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("tags", new JsonArray().add("span"))))
        .json().getString("id");
    JsonObject r = Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(20));
    assertThat(r.getJsonObject("counts").getInteger("succeeded")).isEqualTo(20);
    agents.forEach(a -> assertThat(a.tasks()).hasSize(1));
    agents.forEach(FakeAgent::close);
  }

  /** Bootstrap and enrollment hand out node URLs least loaded first; a drain moves a node's agents to the others. */
  @Test
  @org.junit.jupiter.api.Order(99)
  void bootstrapPrefersTheLeastLoadedNodeAndDrainMovesAgents() throws Exception {
    // GIVEN three agents on node A: B is the least loaded
    List<FakeAgent> onA = new ArrayList<>();
    for (JsonObject e : api.enroll(3, "lb")) {
      FakeAgent a = FakeAgent.fromEnrollment(vertx, e);
      a.connect(server.agentUrl()).await();
      onA.add(a);
    }
    Waits.until(() -> {
      JsonArray nodes = api.get("/api/v1/cluster").json().getJsonArray("nodes");
      int a = 0, b = 0;
      for (Object o : nodes) {
        JsonObject n = (JsonObject) o;
        if (n.getString("id").equals("node-b")) {
          b = n.getInteger("connections");
        } else {
          a = n.getInteger("connections");
        }
      }
      return a > b ? true : null;
    }, Duration.ofSeconds(10));
    String token = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 5)).json().getString("token");
    JsonObject enrolled = api.as(token).post("/api/v1/enroll", new JsonObject().put("hostname", "lb")).json();
    assertThat(enrolled.getJsonArray("nodes").getString(0)).isEqualTo(nodeBUrl());
    onA.forEach(FakeAgent::close);

    // WHEN node A is drained, real agents on it reconnect elsewhere
    Path states = Files.createTempDirectory("drain");
    List<AgentLite> agents = new ArrayList<>();
    String drainToken = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 4)).json().getString("token");
    for (int i = 0; i < 4; i++) {
      AgentLite a = new AgentLite(vertx, new AgentOptions().stateDir(states.resolve("a" + i)).gatewayUrl(server.apiUrl())
          .enrollmentToken(drainToken).dev(true).factsProvider(StaticFactsProvider.loopback("d" + i))
          .backoffBase(Duration.ofMillis(100)).backoffCap(Duration.ofSeconds(1)));
      a.start().await();
      agents.add(a);
    }
    Waits.until(() -> agents.stream().allMatch(AgentLite::connected) ? true : null, Duration.ofSeconds(20));
    String nodeA = server.runtime().node().nodeId();
    Api.Res drain = api.post("/api/v1/cluster/nodes/" + nodeA + "/drain?perSecond=50", null);
    assertThat(drain.status()).as(drain.body()).isEqualTo(202);
    try {
      Waits.until(() -> server.runtime().node().sessions().size() == 0
          && agents.stream().allMatch(AgentLite::connected) ? true : null, Duration.ofSeconds(30));
      assertThat(nodeB.node().sessions().size()).isGreaterThanOrEqualTo(4);
      Waits.until(() -> api.get("/api/v1/cluster").json().getJsonArray("nodes").stream()
          .anyMatch(o -> ((JsonObject) o).getString("state").equals("draining")) ? true : null, Duration.ofSeconds(5));
    } finally {
      assertThat(api.post("/api/v1/cluster/nodes/" + nodeA + "/undrain", null).status()).isEqualTo(202);
    }
    assertThat(api.post("/api/v1/cluster/nodes/nope/drain", null).status()).isEqualTo(404);
    Future.all(agents.stream().map(AgentLite::stop).toList()).await();
  }

  static double metric(String base, String name) {
    double sum = 0;
    for (String line : new Api(base, null).get("/metrics").body().split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
