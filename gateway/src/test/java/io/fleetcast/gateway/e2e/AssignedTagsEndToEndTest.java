package io.fleetcast.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.RogueNode;
import io.fleetcast.gateway.testing.SharedTestServer;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tags an admin assigns after enrollment reach the real agent (agent-lite) through the gateway
 * ({@code GET /agent/v1/self}), never through a node: a rollout on such a tag runs, while a
 * genuinely signed task for a tag the gateway does not have for the agent is still rejected.
 */
@Timeout(180)
class AssignedTagsEndToEndTest {
  static TestServer server;
  static Vertx vertx;
  static Api api;
  static Path states;

  @BeforeAll
  static void start() throws Exception {
    server = SharedTestServer.get();
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
    states = Files.createTempDirectory("assigned-tags-e2e");
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Enrolled with tag a, PATCHed to [a, b]: a rollout targeting b runs on the agent and succeeds. */
  @Test
  void aTagAssignedAfterEnrollmentIsHonoured() throws Exception {
    String a = unique("a");
    String b = unique("b");
    String token = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 1)
        .put("tags", new JsonArray().add(a))).json().getString("token");
    AgentLite agent = new AgentLite(vertx, new AgentOptions().stateDir(states.resolve("patched"))
        .gatewayUrl(server.apiUrl()).enrollmentToken(token).dev(true)
        .factsProvider(StaticFactsProvider.loopback("patched")).backoffBase(Duration.ofMillis(100))
        .backoffCap(Duration.ofSeconds(2)));
    agent.start().await(30, TimeUnit.SECONDS);
    try {
      Waits.until(() -> agent.connected() ? true : null, Duration.ofSeconds(30));
      Api.Res patched = api.patch("/api/v1/agents/" + agent.agentId(),
          new JsonObject().put("tags", new JsonArray().add(a).add(b)));
      assertThat(patched.status()).as(patched.body()).isEqualTo(200);

      Api.Res created = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
          .put("tags", new JsonArray().add(b))));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String id = created.json().getString("id");
      JsonObject done = Waits.rolloutState(api, id, Set.of("completed", "expired", "halted"), Duration.ofSeconds(90));
      JsonObject result = api.get("/api/v1/rollouts/" + id + "/results").json().getJsonArray("items").getJsonObject(0);
      assertThat(result.getString("status")).as(result.encode()).isEqualTo("succeeded");
      assertThat(done.getString("state")).isEqualTo("completed");
      assertThat(Files.readString(states.resolve("patched").resolve("assigned-tags.json"))).contains(b);
    } finally {
      agent.stop().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A compromised node forwards a genuine task signed for tag c to an agent the gateway does not
   * give c: the agent asks the gateway, learns it lacks c, and rejects the task without running it.
   */
  @Test
  void aNodeCannotGiveAnAgentATag() throws Exception {
    String c = unique("c");
    FakeAgent witness = FakeAgent.fromEnrollment(vertx, api.enroll(1, c).get(0));
    witness.connect(server.agentUrl()).await();
    JsonObject enrolled = api.enroll(1, unique("victim")).get(0);
    RogueNode rogue = new RogueNode(vertx).start();
    HttpServer gateway = selfOnlyProxy();
    AgentOptions options = new AgentOptions().stateDir(states.resolve("victim"))
        .agentId(enrolled.getString("agentId")).agentSecret(enrolled.getString("agentSecret"))
        .gatewayUrl("http://127.0.0.1:" + gateway.actualPort()).nodeUrls(List.of(rogue.url())).dev(true)
        .factsProvider(StaticFactsProvider.loopback("victim")).backoffBase(Duration.ofMillis(100))
        .backoffCap(Duration.ofSeconds(1));
    for (Object o : enrolled.getJsonArray("signingKeys")) {
      JsonObject k = (JsonObject) o;
      options.signingKey(k.getString("keyId"), k.getString("publicKey"));
    }
    AgentLite victim = new AgentLite(vertx, options);
    victim.start().await(30, TimeUnit.SECONDS);
    try {
      Waits.until(() -> victim.connected() ? true : null, Duration.ofSeconds(30));
      String rolloutId = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
          .put("tags", new JsonArray().add(c)))).json().getString("id");
      NodeMessage.Task genuine = Waits.until(() -> witness.tasks().stream()
          .filter(t -> t.rolloutId().equals(rolloutId)).findFirst().orElse(null), Duration.ofSeconds(30));
      assertThat(genuine.scope().getJsonArray("tags").getList()).containsExactly(c);

      rogue.send(genuine);
      JsonObject result = rogue.awaitResult(genuine.taskId());
      assertThat(result.getString("status")).isEqualTo("rejected");
      assertThat(result.getString("output")).contains("not in scope: agent lacks tags [" + c + "]");
      assertThat(victim.executedTaskIds()).doesNotContain(genuine.taskId());
      // the agent did ask the gateway, and the gateway answered the tags it really has
      assertThat(Files.readString(states.resolve("victim").resolve("assigned-tags.json"))).doesNotContain(c)
          .contains(enrolled.getJsonArray("tags").getString(0));
    } finally {
      victim.stop().await(30, TimeUnit.SECONDS);
      rogue.close();
      gateway.close().await();
    }
  }

  /**
   * The real gateway as the victim sees it, except that bootstrap is unavailable, so that the
   * victim stays on the rogue node (its configured node list) instead of learning the real nodes;
   * {@code /agent/v1/self} is passed through unchanged.
   */
  static HttpServer selfOnlyProxy() throws Exception {
    URI real = URI.create(server.apiUrl());
    io.vertx.core.http.HttpClient client = vertx.createHttpClient();
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(req -> {
      if (!req.path().equals("/agent/v1/self")) {
        req.response().setStatusCode(503).end();
        return;
      }
      client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(real.getHost()).setPort(real.getPort())
              .setURI(req.uri()).putHeader("Authorization", req.getHeader("Authorization")))
          .compose(out -> out.send())
          .compose(resp -> resp.body().map(body -> req.response().setStatusCode(resp.statusCode())
              .putHeader("Content-Type", "application/json").end(body)))
          .onFailure(e -> req.response().setStatusCode(502).end());
    }).listen().await(10, TimeUnit.SECONDS);
  }

  /** The route answers the agent's trusted tags for its own credential, and 401 for a wrong secret. */
  @Test
  void selfAnswersTheTrustedTags() throws Exception {
    String t = unique("t");
    JsonObject enrolled = api.enroll(1, t).get(0);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(server.apiUrl() + "/agent/v1/self"))
        .header("Authorization", "Bearer " + enrolled.getString("agentId") + "." + enrolled.getString("agentSecret"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(new JsonObject(ok.body()).getJsonArray("tags").getList()).containsExactly(t);
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(server.apiUrl() + "/agent/v1/self"))
        .header("Authorization", "Bearer " + enrolled.getString("agentId") + ".wrong").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isIn(401, 429);
  }
}
