package io.fleetcast.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rollout strategy end to end: waves, failure halt, in-flight window, expiry, multi-step jobs, steering, SSE. */
@Timeout(180)
class RolloutStrategyTest {
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

  static List<FakeAgent> fleet(int n, String tag, Function<FakeAgent, FakeAgent> setup) {
    List<FakeAgent> agents = new ArrayList<>();
    List<Future<FakeAgent>> fs = new ArrayList<>();
    for (JsonObject e : api.enroll(n, tag)) {
      FakeAgent a = setup.apply(FakeAgent.fromEnrollment(vertx, e));
      agents.add(a);
      fs.add(a.connect(server.agentUrl()));
    }
    Future.all(fs).await();
    return agents;
  }

  static JsonObject body(String tag, JsonObject strategy, JsonArray steps) {
    JsonObject b = Waits.execRollout(new JsonObject().put("tags", new JsonArray().add(tag)));
    if (steps != null) {
      b.put("steps", steps);
    }
    return strategy == null ? b : b.put("strategy", strategy);
  }

  static String create(JsonObject body) {
    Api.Res r = api.post("/api/v1/rollouts", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }

  static int agentsThatGotATask(List<FakeAgent> agents) {
    return (int) agents.stream().filter(a -> !a.tasks().isEmpty()).count();
  }

  static int agentsThatGotATaskOf(List<FakeAgent> agents, String rolloutId) {
    return (int) agents.stream().filter(a -> a.tasks().stream().anyMatch(t -> t.rolloutId().equals(rolloutId)))
        .count();
  }

  /**
   * The positive signal before a "nothing more happened" check: a marker rollout to the same
   * agents, run to its end, shows that the engine dispatched to them after the moment in question.
   */
  static void markerRolloutCompletes(String tag) {
    String marker = create(body(tag, null, null).put("name", "marker"));
    Waits.rolloutState(api, marker, Set.of("completed"), Duration.ofSeconds(60));
  }

  /** Failures in the canary wave above the threshold halt the rollout; later waves are never dispatched. */
  @Test
  void failingCanaryHaltsBeforeTheNextWave() throws Exception {
    List<FakeAgent> agents = fleet(100, "halt", a -> a.behaviour(t -> TaskStatus.FAILED));
    String id = create(body("halt", new JsonObject().put("waves", new JsonArray().add(10).add(50).add(100))
        .put("maxFailurePercent", 5), null));
    JsonObject r = Waits.rolloutState(api, id, Set.of("halted"), Duration.ofSeconds(30));
    assertThat(r.getString("reason")).contains("maxFailurePercent");
    markerRolloutCompletes("halt");
    assertThat(agentsThatGotATaskOf(agents, id)).as("only the first wave (10 of 100) was dispatched").isBetween(1, 10);
    JsonObject counts = api.get("/api/v1/rollouts/" + id).json().getJsonObject("counts");
    assertThat(counts.getInteger("skipped", 0)).isGreaterThanOrEqualTo(90);
    JsonObject skipped = api.get("/api/v1/rollouts/" + id + "/targets?state=skipped&limit=1").json();
    assertThat(skipped.getJsonArray("items").getJsonObject(0).getString("reason")).startsWith("rollout halted");
    agents.forEach(FakeAgent::close);
  }

  /** Healthy waves follow each other until every target is done. */
  @Test
  void healthyWavesRunToCompletion() {
    List<FakeAgent> agents = fleet(20, "waves", a -> a);
    String id = create(body("waves", new JsonObject().put("waves", new JsonArray().add(10).add(50).add(100))
        .put("maxFailurePercent", 5), null));
    JsonObject r = Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(30));
    assertThat(r.getJsonObject("counts").getInteger("succeeded")).isEqualTo(20);
    assertThat(r.getInteger("currentWave")).isEqualTo(3);
    JsonArray targets = api.get("/api/v1/rollouts/" + id + "/targets?limit=100").json().getJsonArray("items");
    long wave1 = targets.stream().filter(o -> ((JsonObject) o).getInteger("wave") == 1).count();
    long wave2 = targets.stream().filter(o -> ((JsonObject) o).getInteger("wave") == 2).count();
    assertThat(wave1).isEqualTo(2);
    assertThat(wave2).isEqualTo(8);
    agents.forEach(FakeAgent::close);
  }

  /** maxInFlight is a sliding window: never more running at once, and a new target starts as one finishes. */
  @Test
  void maxInFlightIsRespectedAtEveryMoment() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    List<FakeAgent> agents = fleet(30, "window", a -> a.slow(150, inFlight, max));
    String id = create(body("window", new JsonObject().put("maxInFlight", 5), null));
    JsonObject r = Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(60));
    // measured on the agents (not by a clock): never above the window, and more than one at a time
    assertThat(max.get()).as("most tasks running at once").isLessThanOrEqualTo(5).isGreaterThanOrEqualTo(2);
    assertThat(r.getJsonObject("counts").getInteger("succeeded")).isEqualTo(30);
    agents.forEach(FakeAgent::close);
  }

  /** A target that stays offline expires at the deadline and never runs the task afterwards. */
  @Test
  void offlineTargetExpiresAndNeverRunsLater() throws Exception {
    List<JsonObject> enrolled = api.enroll(1, "expire");
    String id = create(body("expire", new JsonObject().put("expiresAt", Instant.now().plusSeconds(2).toString()), null));
    JsonObject r = Waits.rolloutState(api, id, Set.of("expired"), Duration.ofSeconds(15));
    assertThat(r.getJsonObject("counts").getInteger("expired")).isEqualTo(1);
    JsonObject target = api.get("/api/v1/rollouts/" + id + "/targets").json().getJsonArray("items").getJsonObject(0);
    assertThat(target.getString("reason")).contains("expired");
    FakeAgent late = FakeAgent.fromEnrollment(vertx, enrolled.get(0));
    late.connect(server.agentUrl()).await();
    markerRolloutCompletes("expire");
    assertThat(late.tasks()).extracting(NodeMessage.Task::rolloutId).doesNotContain(id).isNotEmpty();
    late.close();
  }

  /** Steps run in order per agent; continueOn decides whether the next runs; each step's result is stored. */
  @Test
  void multiStepJobsFollowContinueOn() {
    JsonArray twoSteps = new JsonArray()
        .add(new JsonObject().put("kind", "exec").put("spec", new JsonObject().put("command", "patch")).put("continueOn", "success"))
        .add(new JsonObject().put("kind", "exec").put("spec", new JsonObject().put("command", "verify")));
    // step 0 fails on the first three agents and succeeds on the others: only successful agents run step 1
    Set<String> failers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<FakeAgent> agents = fleet(6, "steps", a -> a.behaviour(t -> t.step() == 0 && failers.contains(a.id())
        ? TaskStatus.FAILED : TaskStatus.SUCCEEDED));
    agents.subList(0, 3).forEach(a -> failers.add(a.id()));
    String id = create(body("steps", null, twoSteps));
    JsonObject r = Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(30));
    for (FakeAgent a : agents) {
      boolean failsFirst = failers.contains(a.id());
      List<Integer> steps = a.tasks().stream().map(NodeMessage.Task::step).toList();
      assertThat(steps).as("steps run by %s", a.id()).isEqualTo(failsFirst ? List.of(0) : List.of(0, 1));
    }
    long failing = failers.size();
    assertThat(r.getJsonObject("counts").getInteger("failed", 0)).isEqualTo((int) failing);
    JsonArray results = api.get("/api/v1/rollouts/" + id + "/results?limit=100").json().getJsonArray("items");
    assertThat(results).hasSize((int) (failing + 2 * (agents.size() - failing)));

    // continueOn failure: a rollback step runs only after a failure, and the job still ends failed
    JsonArray rollback = new JsonArray()
        .add(new JsonObject().put("kind", "exec").put("spec", new JsonObject().put("command", "patch")).put("continueOn", "failure"))
        .add(new JsonObject().put("kind", "exec").put("spec", new JsonObject().put("command", "rollback")));
    String id2 = create(body("steps", null, rollback));
    JsonObject r2 = Waits.rolloutState(api, id2, Set.of("completed"), Duration.ofSeconds(30));
    assertThat(r2.getJsonObject("counts").getInteger("failed", 0)).isEqualTo((int) failing);
    assertThat(r2.getJsonObject("counts").getInteger("succeeded", 0)).isEqualTo((int) (agents.size() - failing));
    for (FakeAgent a : agents) {
      long rollbacks = a.tasks().stream().filter(t -> t.rolloutId().equals(id2) && t.step() == 1).count();
      assertThat(rollbacks).isEqualTo(failers.contains(a.id()) ? 1 : 0);
    }

    // continueOn always: the next step runs either way
    JsonArray always = new JsonArray()
        .add(new JsonObject().put("kind", "exec").put("spec", new JsonObject().put("command", "try")).put("continueOn", "always"))
        .add(new JsonObject().put("kind", "inventory"));
    String id3 = create(body("steps", null, always));
    Waits.rolloutState(api, id3, Set.of("completed"), Duration.ofSeconds(30));
    for (FakeAgent a : agents) {
      assertThat(a.tasks().stream().filter(t -> t.rolloutId().equals(id3)).count()).isEqualTo(2);
    }
    JsonObject t = api.get("/api/v1/rollouts/" + id3 + "/targets?state=failed&limit=1").json();
    assertThat(t.getJsonArray("items").getJsonObject(0).getString("reason")).startsWith("step 1/2 failed");
    agents.forEach(FakeAgent::close);
  }

  /** Pause stops new dispatch, resume continues, cancel ends every open target and sends cancel to running ones. */
  @Test
  void pauseResumeAndCancel() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    List<FakeAgent> agents = fleet(8, "steer", a -> a.slow(400, inFlight, max));
    String id = create(body("steer", new JsonObject().put("maxInFlight", 1), null));
    Waits.until(() -> agentsThatGotATask(agents) >= 1 ? true : null, Duration.ofSeconds(10));
    JsonObject paused = api.post("/api/v1/rollouts/" + id + "/pause", null).json();
    assertThat(paused.getString("state")).isEqualTo("paused");
    int pendingAtPause = paused.getJsonObject("counts").getInteger("pending", 0);
    markerRolloutCompletes("steer");
    assertThat(api.get("/api/v1/rollouts/" + id).json().getJsonObject("counts").getInteger("pending", 0))
        .as("no dispatch while paused").isEqualTo(pendingAtPause);
    int atPause = agentsThatGotATaskOf(agents, id);
    assertThat(api.post("/api/v1/rollouts/" + id + "/pause", null).status()).isEqualTo(409);
    assertThat(api.post("/api/v1/rollouts/" + id + "/resume", null).json().getString("state")).isEqualTo("running");
    Waits.until(() -> agentsThatGotATaskOf(agents, id) > atPause ? true : null, Duration.ofSeconds(30));
    JsonObject cancelled = api.post("/api/v1/rollouts/" + id + "/cancel", null).json();
    assertThat(cancelled.getString("state")).isEqualTo("cancelled");
    assertThat(cancelled.getJsonObject("counts").getInteger("cancelled", 0)).isGreaterThan(0);
    assertThat(cancelled.getJsonObject("counts").containsKey("pending")).isFalse();
    Waits.until(() -> agents.stream().anyMatch(a -> a.received().stream().anyMatch(m -> m.contains("\"cancel\"")))
        ? true : null, Duration.ofSeconds(10));
    assertThat(api.post("/api/v1/rollouts/" + id + "/resume", null).status()).isEqualTo(409);
    agents.forEach(FakeAgent::close);
  }

  /** startAfter keeps the rollout scheduled until then. */
  @Test
  void scheduledRolloutStartsAtStartAfter() {
    List<FakeAgent> agents = fleet(2, "later", a -> a);
    // far enough ahead that a slow create cannot reach it; started no earlier is then checked on
    // the server's own timestamps (a lower bound, which load cannot break)
    Instant startAfter = Instant.now().plusSeconds(8);
    String id = create(body("later", new JsonObject().put("startAfter", startAfter.toString()), null));
    assertThat(api.get("/api/v1/rollouts/" + id).json().getString("state")).isEqualTo("scheduled");
    assertThat(agentsThatGotATask(agents)).isZero();
    JsonObject done = Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(60));
    assertThat(Instant.parse(done.getString("startedAt"))).isAfterOrEqualTo(startAfter);
    agents.forEach(FakeAgent::close);
  }

  /** The SSE stream sends coalesced progress events and a final event, read by a real HTTP client. */
  @Test
  void eventsStreamProgressAndFinalState() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    List<FakeAgent> agents = fleet(10, "sse", a -> a.slow(100, inFlight, new AtomicInteger()));
    String id = create(body("sse", new JsonObject().put("maxInFlight", 2), null));
    HttpRequest req = HttpRequest.newBuilder(URI.create(server.apiUrl() + "/api/v1/rollouts/" + id + "/events"))
        .header("Authorization", "Bearer " + server.adminToken()).GET().build();
    HttpResponse<java.io.InputStream> res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    List<String> events = new ArrayList<>();
    JsonObject last = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      String line;
      String event = null;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          events.add(event);
          last = new JsonObject(line.substring(6));
          if ("final".equals(event)) {
            break;
          }
        }
      }
    }
    assertThat(events).last().isEqualTo("final");
    assertThat(last.getString("state")).isEqualTo("completed");
    assertThat(last.getJsonObject("counts").getInteger("succeeded")).isEqualTo(10);
    // coalesced: far fewer progress events than the ~30 state changes of 10 targets
    assertThat(events.size()).isBetween(2, 25);
    agents.forEach(FakeAgent::close);
  }
}
