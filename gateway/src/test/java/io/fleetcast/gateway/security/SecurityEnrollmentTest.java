package io.fleetcast.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Enrollment and the API under refused credentials, on a real server with a small pool (4
 * connections): races for the last uses of a token, refusals that must not starve everyone
 * else, listing and revoking enrollment tokens, bounded facts, and event streams that end with
 * their token. The failed-authentication throttle is off here (SecurityApiConnectionsTest tests it).
 */
@Timeout(300)
class SecurityEnrollmentTest {
  static TestServer server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("pg.poolSize", 4));
    api = new Api(server.apiUrl(), server.adminToken());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Fifty enrollments racing for a maxUses=10 token: exactly 10 agents, 40 clear 4xx refusals, no 5xx. */
  @Test
  void fiftyEnrollmentsRacingForTenUsesGiveTenAgentsAndFortyRefusals() throws Exception {
    JsonObject tok = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 10)).json();
    List<Api.Res> answers = race(50, i -> api.as(tok.getString("token")).post("/api/v1/enroll",
        new JsonObject().put("hostname", "race-" + i)));
    assertThat(answers.stream().filter(r -> r.status() == 201)).hasSize(10);
    assertThat(answers.stream().filter(r -> r.status() >= 400 && r.status() < 500)).hasSize(40);
    assertThat(answers.stream().filter(r -> r.status() != 201))
        .allSatisfy(r -> assertThat(r.body()).contains("used up"));
    assertThat(listed(tok.getString("id")).getInteger("uses")).isEqualTo(10);
  }

  /**
   * Thirty enrollments racing for one use (29 refused inside their transaction) plus thirty with
   * made-up tokens, while API calls that need the database keep being answered.
   */
  @Test
  void refusedEnrollmentsDoNotStarveTheApi() throws Exception {
    JsonObject tok = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 1)).json();
    ExecutorService bystander = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch racing = new CountDownLatch(1);
      Future<List<Integer>> calls = bystander.submit(() -> {
        racing.await(30, TimeUnit.SECONDS);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          statuses.add(api.get("/api/v1/agents?limit=1").status());
          statuses.add(api.get("/api/v1/enrollment-tokens?limit=1").status());
        }
        return statuses;
      });
      List<Api.Res> answers = race(60, i -> {
        racing.countDown();
        String token = i % 2 == 0 ? tok.getString("token") : "fce_madeup" + UUID.randomUUID();
        return api.as(token).post("/api/v1/enroll", new JsonObject().put("hostname", "starve-" + i));
      });
      assertThat(calls.get(120, TimeUnit.SECONDS)).as("API calls during the refusals").containsOnly(200);
      assertThat(answers.stream().map(Api.Res::status)).as("enroll answers").allMatch(s -> s == 201 || s == 401);
      assertThat(answers.stream().filter(r -> r.status() == 201)).hasSize(1);
    } finally {
      bystander.shutdownNow();
    }
  }

  /** Twenty rollouts naming agents, created at once on a 4-connection pool: all created (the agent check runs in the transaction). */
  @Test
  void concurrentRolloutsNamingAgentsDoNotDeadlockThePool() throws Exception {
    String agent = api.enroll(1, "pool").get(0).getString("agentId");
    List<Api.Res> answers = race(20, i -> api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("agents", new JsonArray().add(agent)))));
    assertThat(answers.stream().map(Api.Res::status)).containsOnly(201);
  }

  /** Enrollment tokens are listed in pages without their secret, with uses and state; a revoked one is refused. */
  @Test
  void enrollmentTokensAreListedWithoutSecretsAndCanBeRevoked() {
    List<JsonObject> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      created.add(api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 5)
          .put("tags", new JsonArray().add("list-" + i))).json());
    }
    JsonObject a = created.get(0);
    assertThat(api.as(a.getString("token")).post("/api/v1/enroll", new JsonObject().put("hostname", "l")).status())
        .isEqualTo(201);

    Api.Res first = api.get("/api/v1/enrollment-tokens?limit=2");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().getJsonArray("items")).hasSize(2);
    String next = first.json().getString("next");
    assertThat(next).isNotNull();
    Api.Res second = api.get("/api/v1/enrollment-tokens?limit=2&after=" + next);
    assertThat(second.json().getJsonArray("items")).isNotEmpty();
    assertThat(second.json().getJsonArray("items").getJsonObject(0).getString("id"))
        .isNotIn(ids(first.json().getJsonArray("items")));
    String everything = api.get("/api/v1/enrollment-tokens?limit=1000").body();
    for (JsonObject c : created) {
      assertThat(everything).doesNotContain(c.getString("token"));
    }
    JsonObject listedA = listed(a.getString("id"));
    assertThat(listedA.fieldNames()).doesNotContain("token", "tokenHash");
    assertThat(listedA.getInteger("uses")).isEqualTo(1);
    assertThat(listedA.getInteger("maxUses")).isEqualTo(5);
    assertThat(listedA.getJsonArray("tags")).containsExactly("list-0");
    assertThat(listedA.getString("expiresAt")).isEqualTo(a.getString("expiresAt"));
    assertThat(listedA.getBoolean("revoked")).isFalse();
    assertThat(listedA.getString("state")).isEqualTo("active");

    assertThat(api.delete("/api/v1/enrollment-tokens/" + a.getString("id")).status()).isEqualTo(204);
    Api.Res refused = api.as(a.getString("token")).post("/api/v1/enroll", new JsonObject().put("hostname", "l2"));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body()).contains("revoked");
    assertThat(listed(a.getString("id")).getString("state")).isEqualTo("revoked");
    assertThat(api.delete("/api/v1/enrollment-tokens/" + a.getString("id")).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/audit?limit=1000").body()).contains("enrollment_token.revoke");
    // another token still works
    assertThat(api.as(created.get(1).getString("token")).post("/api/v1/enroll", new JsonObject().put("hostname", "l3"))
        .status()).isEqualTo(201);
  }

  /** Facts are bounded: too big, badly keyed, too deep or too long is a 400 naming each field, counted; nothing is used up. */
  @Test
  void enrollFactsAreValidatedFieldByField() {
    JsonObject tok = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 5)).json();
    Api enroller = api.as(tok.getString("token"));
    double invalid = SecurityApiConnectionsTest.metricOf(server, "fleetcast_enrollments_total", "outcome=\"invalid\"");

    Api.Res tooBig = enroller.post("/api/v1/enroll", new JsonObject().put("hostname", "f")
        .put("facts", new JsonObject().put("notes", "x".repeat(17_000))));
    assertThat(tooBig.status()).isEqualTo(400);
    assertThat(fields(tooBig)).containsExactly("facts");

    JsonObject bad = new JsonObject().put("bad key!", 1)
        .put("deep", new JsonObject().put("er", new JsonObject().put("est", 1)))
        .put("long", "y".repeat(2000))
        .put("many", new JsonArray(java.util.Collections.nCopies(300, "m")))
        .put("nested", new JsonArray().add(new JsonObject()));
    Api.Res each = enroller.post("/api/v1/enroll", new JsonObject().put("hostname", "f").put("facts", bad));
    assertThat(each.status()).isEqualTo(400);
    assertThat(fields(each)).containsExactlyInAnyOrder("facts.bad key!", "facts.deep.er", "facts.long", "facts.many",
        "facts.nested[0]");

    // the 900 KB facts of the report do not even fit the enroll body limit
    Api.Res huge = enroller.post("/api/v1/enroll", new JsonObject().put("hostname", "f")
        .put("facts", new JsonObject().put("blob", "z".repeat(900_000))));
    assertThat(huge.status()).isEqualTo(413);

    JsonObject facts = new JsonObject().put("os", "Linux 6.1").put("arch", "amd64")
        .put("ips", new JsonArray().add("10.1.2.3")).put("macs", new JsonArray().add("02:00:00:00:00:01"))
        .put("disk", new JsonObject().put("freeGb", 12.5));
    Api.Res ok = enroller.post("/api/v1/enroll", new JsonObject().put("hostname", "f").put("facts", facts));
    assertThat(ok.status()).isEqualTo(201);
    assertThat(api.get("/api/v1/agents/" + ok.json().getString("agentId")).json().getJsonObject("facts"))
        .isEqualTo(facts);
    assertThat(listed(tok.getString("id")).getInteger("uses")).as("refused facts take no use").isEqualTo(1);
    assertThat(SecurityApiConnectionsTest.metricOf(server, "fleetcast_enrollments_total", "outcome=\"invalid\"")
        - invalid).isGreaterThanOrEqualTo(2);
  }

  /** An event stream ends (with a closed event) once its API token is revoked; the revocation is counted. */
  @Test
  void eventStreamEndsWhenItsTokenIsRevoked() throws Exception {
    String agent = api.enroll(1, "sse-offline").get(0).getString("agentId");
    String rollout = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("agents", new JsonArray().add(agent)))).json().getString("id");
    JsonObject viewer = api.post("/api/v1/api-tokens", new JsonObject().put("name", "sse").put("role", "viewer")).json();
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<String> adminLines = new LinkedBlockingQueue<>();
    CompletableFuture<Void> ended = subscribe(rollout, viewer.getString("token"), lines);
    CompletableFuture<Void> adminEnded = subscribe(rollout, server.adminToken(), adminLines);
    assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("event: progress");
    assertThat(adminLines.poll(60, TimeUnit.SECONDS)).isEqualTo("event: progress");
    assertThat(ended).isNotDone();

    assertThat(api.delete("/api/v1/api-tokens/" + viewer.getString("id")).status()).isEqualTo(204);
    ended.get(60, TimeUnit.SECONDS);
    List<String> rest = new ArrayList<>(lines);
    assertThat(rest).contains("event: closed", "<end>");
    // the check that ended it left the stream of a valid token open
    assertThat(adminEnded).isNotDone();
    assertThat(adminLines).doesNotContain("event: closed", "<end>");
    adminEnded.cancel(true);
    assertThat(SecurityApiConnectionsTest.metricOf(server, "fleetcast_api_streams_closed_total", "reason=\"revoked\""))
        .isGreaterThanOrEqualTo(1);
  }

  /** Opens the rollout's event stream with {@code token}; its lines go to {@code lines}, then "<end>". */
  static CompletableFuture<Void> subscribe(String rollout, String token, LinkedBlockingQueue<String> lines) {
    return HttpClient.newHttpClient().sendAsync(
        HttpRequest.newBuilder(URI.create(server.apiUrl() + "/api/v1/rollouts/" + rollout + "/events"))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofLines())
        .thenAcceptAsync(r -> {
          r.body().forEach(lines::add);
          lines.add("<end>");
        });
  }

  interface Call {
    Api.Res call(int i) throws Exception;
  }

  /** Runs {@code n} calls at once (released together) and yields their answers. */
  static List<Api.Res> race(int n, Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Api.Res>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        futures.add(pool.submit(() -> {
          go.await();
          return call.call(k);
        }));
      }
      go.countDown();
      List<Api.Res> out = new ArrayList<>();
      for (Future<Api.Res> f : futures) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  static JsonObject listed(String id) {
    for (Object o : api.get("/api/v1/enrollment-tokens?limit=1000").json().getJsonArray("items")) {
      JsonObject j = (JsonObject) o;
      if (j.getString("id").equals(id)) {
        return j;
      }
    }
    throw new AssertionError("enrollment token " + id + " not listed");
  }

  static Set<String> ids(JsonArray items) {
    Set<String> out = new java.util.HashSet<>();
    items.forEach(o -> out.add(((JsonObject) o).getString("id")));
    return out;
  }

  static List<String> fields(Api.Res r) {
    List<String> out = new ArrayList<>();
    r.json().getJsonArray("errors").forEach(o -> out.add(((JsonObject) o).getString("field")));
    return out;
  }
}
