package io.fleetcast.gateway.agentupdate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.agent.update.Supervisor;
import io.fleetcast.agent.update.UpdateSlots;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Self-update in rings with 20 agents against a real server: each agent runs under the real
 * {@link Supervisor} with {@link InProcessChildLauncher} (agents in this JVM, see there why). A
 * good release rolls out in waves [10, 100] and every agent reconnects reporting it; a broken
 * release (does not start) is rolled back on each agent of the first wave, those targets fail,
 * and the failure threshold halts the rollout before the second wave.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentSelfUpdateTest {
  static final int N = 20;
  static TestServer server;
  static Api api;
  static Vertx vertx;
  static Path root;
  static final List<Supervisor> supervisors = new ArrayList<>();
  static final List<Thread> threads = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    api = new Api(server.apiUrl(), server.adminToken());
    vertx = Vertx.vertx();
    root = Files.createTempDirectory("fleetcast-self-update");
    String token = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", N)
        .put("tags", new JsonArray().add("ring"))).json().getString("token");
    for (int i = 0; i < N; i++) {
      Path install = Files.createDirectories(root.resolve("a" + i));
      Files.writeString(install.resolve(UpdateSlots.INITIAL_JAR), InProcessChildLauncher.build("1.0.0", true));
      String name = "ring-" + i;
      Supervisor s = new Supervisor(new UpdateSlots(install), new InProcessChildLauncher(vertx, () -> new AgentOptions()
          .stateDir(install.resolve("state")).installDir(install).gatewayUrl(server.apiUrl()).enrollmentToken(token)
          .dev(true).factsProvider(StaticFactsProvider.loopback(name)).backoffBase(Duration.ofMillis(100))
          .backoffCap(Duration.ofSeconds(2))), 20, Duration.ofMillis(200));
      supervisors.add(s);
      Thread t = new Thread(() -> {
        try {
          s.run();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "supervisor-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    Waits.until(() -> count("1.0.0") == N ? true : null, Duration.ofMinutes(3));
  }

  @AfterAll
  static void stop() throws Exception {
    supervisors.forEach(Supervisor::stop);
    for (Thread t : threads) {
      t.join(30_000);
    }
    vertx.close().await();
    server.close();
  }

  /** Online agents of the ring tag reporting {@code version}, from the agents list's version filter. */
  static int count(String version) {
    return api.get("/api/v1/agents?tag=ring&online=true&limit=1000&version=" + version).json()
        .getJsonArray("items").size();
  }

  static JsonObject publish(String version, boolean starts) throws Exception {
    Path file = Files.writeString(root.resolve("build-" + version), InProcessChildLauncher.build(version, starts));
    var res = api.post("/api/v1/agent-releases", new JsonObject().put("version", version).put("file", file.toString()));
    assertThat(res.status()).as(res.body()).isEqualTo(201);
    return res.json().getJsonObject("updateSpec").put("connectTimeoutSeconds", 20);
  }

  static JsonObject rollout(String name, JsonObject spec) {
    var res = api.post("/api/v1/rollouts", new JsonObject().put("name", name)
        .put("steps", new JsonArray().add(new JsonObject().put("kind", "agentUpdate").put("spec", spec)))
        .put("targets", new JsonObject().put("tags", new JsonArray().add("ring")))
        .put("strategy", new JsonObject().put("waves", new JsonArray().add(10).add(100)).put("maxFailurePercent", 0)));
    assertThat(res.status()).as(res.body()).isEqualTo(201);
    return res.json();
  }

  /** A good release in waves [10, 100]: the rollout completes and all 20 agents report the new version. */
  @Test
  @Order(1)
  void goodReleaseReachesEveryAgentInWaves() throws Exception {
    JsonObject r = rollout("update to 2.0.0", publish("2.0.0", true));
    JsonObject done = Waits.rolloutState(api, r.getString("id"), Set.of("completed", "halted"), Duration.ofMinutes(6));
    assertThat(done.getString("state")).as(done.encode()).isEqualTo("completed");
    Waits.until(() -> count("2.0.0") == N ? true : null, Duration.ofMinutes(2));
    assertThat(count("1.0.0")).isZero();
    JsonArray results = api.get("/api/v1/rollouts/" + r.getString("id") + "/results?limit=100").json().getJsonArray("items");
    assertThat(results.stream().map(o -> ((JsonObject) o).getString("output")).toList())
        .hasSize(N).allMatch(o -> o.contains("updated from 1.0.0 to 2.0.0"));
  }

  /** A broken release: rolled back on every agent of the first wave, those fail, the rollout halts before wave 2. */
  @Test
  @Order(2)
  void brokenReleaseIsRolledBackAndHaltsTheRollout() throws Exception {
    JsonObject r = rollout("update to 3.0.0-broken", publish("3.0.0-broken", false));
    JsonObject done = Waits.rolloutState(api, r.getString("id"), Set.of("completed", "halted"), Duration.ofMinutes(6));
    assertThat(done.getString("state")).as(done.encode()).isEqualTo("halted");
    JsonArray targets = api.get("/api/v1/rollouts/" + r.getString("id") + "/targets?limit=100").json().getJsonArray("items");
    List<JsonObject> failed = targets.stream().map(o -> (JsonObject) o).filter(t -> t.getString("state").equals("failed")).toList();
    long skipped = targets.stream().map(o -> (JsonObject) o).filter(t -> t.getString("state").equals("skipped")).count();
    assertThat(failed).as(targets.encode()).hasSize(2); // wave 1 = 10 % of 20
    assertThat(skipped).isEqualTo(N - 2);
    JsonArray results = api.get("/api/v1/rollouts/" + r.getString("id") + "/results?limit=100").json().getJsonArray("items");
    assertThat(results.stream().map(o -> ((JsonObject) o).getString("output")).toList())
        .hasSize(2).allMatch(o -> o.contains("rolled back to 2.0.0") && o.contains("exited with code 1"));
    // every agent is back (or still) on 2.0.0 and connected
    Waits.until(() -> count("2.0.0") == N ? true : null, Duration.ofMinutes(2));
    assertThat(count("3.0.0-broken")).isZero();
  }
}
