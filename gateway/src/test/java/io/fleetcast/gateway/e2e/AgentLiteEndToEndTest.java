package io.fleetcast.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.AgentListener;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real agent (agent-lite, real processes) against a real server: enrollment, signed tasks, durable results. */
@Timeout(240)
class AgentLiteEndToEndTest {
  private static final Logger LOG = Logger.getLogger(AgentLiteEndToEndTest.class.getName());
  static TestServer server;
  static Vertx vertx;
  static Api api;
  static Path states;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start();
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
    states = Files.createTempDirectory("agent-lite-e2e");
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    server.close();
  }

  static String enrollmentToken(int uses, String tag) {
    return api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", uses)
        .put("tags", new JsonArray().add(tag))).json().getString("token");
  }

  static AgentOptions options(String name, String token) {
    return new AgentOptions().stateDir(states.resolve(name)).gatewayUrl(server.apiUrl()).enrollmentToken(token)
        .dev(true).factsProvider(StaticFactsProvider.loopback(name)).backoffBase(Duration.ofMillis(100))
        .backoffCap(Duration.ofSeconds(2));
  }

  /** 200 agents enroll and connect; one rollout reaches all; every result is stored exactly once and listed. */
  @Test
  void twoHundredAgentsRunOneRollout() {
    int n = 200;
    String token = enrollmentToken(n, "fleet200");
    List<AgentLite> agents = new ArrayList<>();
    AtomicInteger connected = new AtomicInteger();
    long t0 = System.nanoTime();
    List<Future<Void>> starts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AgentLite a = new AgentLite(vertx, options("a" + i, token));
      a.addListener(new AgentListener() {
        @Override
        public void onConnected(String nodeUrl, String nodeId) {
          connected.incrementAndGet();
        }
      });
      agents.add(a);
      starts.add(a.start());
    }
    Future.all(starts).await();
    Waits.until(() -> connected.get() >= n ? true : null, Duration.ofSeconds(60));
    double connectSeconds = (System.nanoTime() - t0) / 1e9;

    long t1 = System.nanoTime();
    JsonObject body = Waits.execRollout(new JsonObject().put("tags", new JsonArray().add("fleet200")));
    Api.Res created = api.post("/api/v1/rollouts", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    assertThat(created.json().getInteger("targets")).isEqualTo(n);
    JsonObject done = Waits.rolloutState(api, id, Set.of("completed", "expired", "halted"), Duration.ofSeconds(120));
    double rolloutSeconds = (System.nanoTime() - t1) / 1e9;
    LOG.info(String.format("event=e2e.measured agents=%d enrollAndConnectSeconds=%.2f agentsPerSecond=%.0f "
        + "rolloutSeconds=%.2f resultsPerSecond=%.0f", n, connectSeconds, n / connectSeconds, rolloutSeconds,
        n / rolloutSeconds));
    assertThat(done.getString("state")).isEqualTo("completed");
    assertThat(done.getJsonObject("counts").getInteger("succeeded")).isEqualTo(n);

    Set<String> agentsWithResult = new HashSet<>();
    String after = null;
    do {
      JsonObject page = api.get("/api/v1/rollouts/" + id + "/results?limit=1000" + (after == null ? "" : "&after=" + after))
          .json();
      for (Object o : page.getJsonArray("items")) {
        JsonObject item = (JsonObject) o;
        assertThat(item.getString("status")).isEqualTo("succeeded");
        assertThat(item.getInteger("exitCode")).isEqualTo(0);
        assertThat(item.getString("output")).contains("hi");
        assertThat(agentsWithResult.add(item.getString("agentId"))).as("one result per agent").isTrue();
      }
      after = page.getString("next");
    } while (after != null);
    assertThat(agentsWithResult).hasSize(n);
    for (AgentLite a : agents) {
      assertThat(a.executedTaskIds()).as("agent %s ran its task once", a.agentId()).hasSize(1);
    }
    Future.all(agents.stream().map(AgentLite::stop).toList()).await();
  }

  /** An agent that dies after sending a result but before the ack re-sends it on restart; it is stored once and not re-run. */
  @Test
  void resultSentBeforeACrashIsStoredExactlyOnce() {
    String token = enrollmentToken(1, "crashy");
    AgentLite first = new AgentLite(vertx, options("crashy", token).crashAfterResultSend(true));
    first.start().await();
    Waits.until(() -> first.connected() ? true : null, Duration.ofSeconds(20));
    String id = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("agents", new JsonArray().add(first.agentId())))).json().getString("id");
    first.stopped().await();
    assertThat(first.executedTaskIds()).hasSize(1);

    AgentLite second = new AgentLite(vertx, options("crashy", null));
    AtomicInteger acked = new AtomicInteger();
    second.addListener(new AgentListener() {
      @Override
      public void onResultAcked(String taskId, boolean stored) {
        acked.incrementAndGet();
      }
    });
    second.start().await();
    Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(30));
    Waits.until(() -> acked.get() > 0 && second.pendingResults() == 0 ? true : null, Duration.ofSeconds(20));
    assertThat(second.executedTaskIds()).as("the restarted agent does not run the task again").isEmpty();
    JsonArray results = api.get("/api/v1/rollouts/" + id + "/results").json().getJsonArray("items");
    assertThat(results).hasSize(1);
    assertThat(results.getJsonObject(0).getString("agentId")).isEqualTo(second.agentId());
    second.stop().await();
  }

  /** An agent that is offline when the rollout starts gets its (signed) task when it comes back, and runs it once. */
  @Test
  void offlineAgentGetsItsTaskWhenItComesOnline() {
    String token = enrollmentToken(1, "late");
    AgentLite once = new AgentLite(vertx, options("late", token));
    once.start().await();
    Waits.until(() -> once.connected() ? true : null, Duration.ofSeconds(20));
    String agentId = once.agentId();
    once.stop().await();
    String id = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("agents", new JsonArray().add(agentId))))
        .json().getString("id");
    Waits.until(() -> api.get("/api/v1/rollouts/" + id).json().getJsonObject("counts").getInteger("pending", 0) == 1
        ? true : null, Duration.ofSeconds(10));
    AgentLite again = new AgentLite(vertx, options("late", null));
    again.start().await();
    Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(30));
    assertThat(again.executedTaskIds()).hasSize(1);
    again.stop().await();
  }

  /**
   * Issue 11 #6 and #16 with the real agent: a rollout naming the agent's id in upper case runs
   * (the agent finds itself in the signed scope); while its command runs the target shows
   * {@code running}; a missing command's target reason says "command not found"; results name the
   * host.
   */
  @Test
  void upperCaseIdRunningStateAndClearReasons() {
    String token = enrollmentToken(1, "reasons");
    AgentLite agent = new AgentLite(vertx, options("reasons", token));
    agent.start().await();
    Waits.until(() -> agent.connected() ? true : null, Duration.ofSeconds(20));
    JsonArray target = new JsonArray().add(agent.agentId().toUpperCase());

    // WHEN a slow command runs, the target is shown running, then succeeded
    JsonObject slow = Waits.execRollout(new JsonObject().put("agents", target));
    slow.getJsonArray("steps").getJsonObject(0).put("spec", new JsonObject().put("command", "sleep").put("args",
        new JsonArray().add("3")));
    String slowId = api.post("/api/v1/rollouts", slow).json().getString("id");
    Waits.until(() -> "running".equals(api.get("/api/v1/rollouts/" + slowId + "/targets").json()
        .getJsonArray("items").getJsonObject(0).getString("state")) ? true : null, Duration.ofSeconds(20));
    Waits.rolloutState(api, slowId, Set.of("completed"), Duration.ofSeconds(30));
    JsonObject result = api.get("/api/v1/rollouts/" + slowId + "/results").json().getJsonArray("items").getJsonObject(0);
    assertThat(result.getString("status")).isEqualTo("succeeded");
    assertThat(result.getString("hostname")).isEqualTo("reasons");

    // WHEN the command does not exist, the target's reason says so
    JsonObject missing = Waits.execRollout(new JsonObject().put("agents", target));
    missing.getJsonArray("steps").getJsonObject(0).put("spec", new JsonObject().put("command",
        "/nonexistent/fleetcast-e2e-tool"));
    String missingId = api.post("/api/v1/rollouts", missing).json().getString("id");
    Waits.rolloutState(api, missingId, Set.of("completed", "halted"), Duration.ofSeconds(30));
    JsonObject t = api.get("/api/v1/rollouts/" + missingId + "/targets").json().getJsonArray("items").getJsonObject(0);
    assertThat(t.getString("state")).isEqualTo("failed");
    assertThat(t.getString("reason")).isEqualTo("step 1/1 failed: command not found: /nonexistent/fleetcast-e2e-tool");
    assertThat(t.getString("hostname")).isEqualTo("reasons");
    agent.stop().await();
  }
}
