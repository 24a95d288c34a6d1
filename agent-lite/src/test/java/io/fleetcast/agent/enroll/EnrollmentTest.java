package io.fleetcast.agent.enroll;

import static io.fleetcast.agent.testing.Agents.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.agent.testing.FakeNode;
import io.fleetcast.agent.testing.FakeOsActions;
import io.fleetcast.agent.testing.TestKeys;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Enrollment and bootstrap against a fake gateway on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class EnrollmentTest {
  private static final String TOKEN = "enroll-123";

  @TempDir
  Path stateDir;

  private final TestKeys keys = new TestKeys("gw-1");
  private final AtomicInteger enrollments = new AtomicInteger();
  private final AtomicInteger bootstraps = new AtomicInteger();
  private final AtomicReference<JsonObject> enrollBody = new AtomicReference<>();
  private HttpServer gateway;
  private FakeNode node;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    node = new FakeNode(vertx, "agent-e", "secret-e", "node-e").start();
    gateway = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    JsonArray signingKeys = new JsonArray().add(new JsonObject().put("keyId", keys.keyId)
        .put("publicKey", keys.publicKeyBase64()));
    gateway.requestHandler(req -> req.body().onSuccess(body -> {
      String auth = req.getHeader("Authorization");
      if (req.path().equals("/api/v1/enroll")) {
        if (!("Bearer " + TOKEN).equals(auth)) {
          req.response().setStatusCode(401).putHeader("Content-Type", "application/problem+json")
              .end(new JsonObject().put("type", "about:blank").put("title", "Unauthorized").put("status", 401)
                  .put("detail", "enrollment token expired").encode());
          return;
        }
        enrollments.incrementAndGet();
        enrollBody.set(body.toJsonObject());
        req.response().setStatusCode(201).end(new JsonObject().put("agentId", "agent-e").put("agentSecret", "secret-e")
            .put("nodes", new JsonArray().add("ws://127.0.0.1:1/agent/v1")).put("signingKeys", signingKeys)
            .put("tags", new JsonArray().add("branch-7")).encode());
      } else if (req.path().equals("/agent/v1/bootstrap") && "Bearer agent-e.secret-e".equals(auth)) {
        bootstraps.incrementAndGet();
        req.response().end(new JsonObject().put("nodes", new JsonArray().add(node.url()))
            .put("signingKeys", signingKeys).encode());
      } else {
        req.response().setStatusCode(404).end();
      }
    }));
    gateway.listen().await(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close().await(5, TimeUnit.SECONDS);
    node.close();
  }

  private AgentOptions options(String token) {
    return new AgentOptions().stateDir(stateDir).gatewayUrl("http://127.0.0.1:" + gateway.actualPort())
        .enrollmentToken(token).dev(true).tags(List.of("lab")).factsProvider(StaticFactsProvider.loopback("enr"))
        .osActions(new FakeOsActions()).backoffBase(Duration.ofMillis(50)).backoffCap(Duration.ofMillis(200));
  }

  /**
   * First start enrolls, stores credentials (0600), bootstraps to the real node list and
   * connects; a later start reuses the credentials without enrolling again.
   */
  @Test
  void enrollsOnceThenReuses(Vertx vertx) throws Exception {
    AgentLite agent = new AgentLite(vertx, options(TOKEN));
    agent.start().await(10, TimeUnit.SECONDS);
    eventually("connected", agent::connected);

    assertThat(agent.agentId()).isEqualTo("agent-e");
    assertThat(enrollBody.get().getString("hostname")).isEqualTo("enr");
    assertThat(enrollBody.get().getJsonObject("facts").getJsonArray("subnets").getList()).contains("127.0.0.0/8");
    Path creds = stateDir.resolve("credentials.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(creds))).isEqualTo("rw-------");
    // the node list from bootstrap is saved after the connection is up: wait for it
    eventually("bootstrap nodes saved", () -> {
      try {
        return new JsonObject(Files.readString(creds)).getJsonArray("nodes").getList().equals(List.of(node.url()));
      } catch (java.io.IOException | RuntimeException e) {
        return false;
      }
    });
    JsonObject hello = node.await("hello", j -> true);
    assertThat(hello.getJsonObject("facts").getJsonArray("tags").getList()).containsExactly("branch-7", "lab");
    agent.stop().await(10, TimeUnit.SECONDS);

    AgentLite again = new AgentLite(vertx, options(null));
    again.start().await(10, TimeUnit.SECONDS);
    eventually("connected again", again::connected);
    assertThat(enrollments.get()).isEqualTo(1);
    assertThat(bootstraps.get()).isGreaterThanOrEqualTo(2);

    // signing keys came from the gateway: a task signed with its key runs
    node.send(keys.signed("t-e", "exec", TestKeys.exec("echo enrolled"), "agent-e"));
    assertThat(node.awaitResult("t-e").getString("status")).isEqualTo("succeeded");
    again.stop().await(10, TimeUnit.SECONDS);
  }

  /** A refused enrollment fails start() with the problem's detail. */
  @Test
  void refusedEnrollmentShowsDetail(Vertx vertx) {
    AgentLite agent = new AgentLite(vertx, options("wrong"));
    assertThatThrownBy(() -> agent.start().await(10, TimeUnit.SECONDS))
        .hasMessageContaining("enrollment token expired");
    assertThat(stateDir.resolve("credentials.json")).doesNotExist();
  }

  /** Without credentials and without a token the agent says what to do. */
  @Test
  void noCredentialsNoToken(Vertx vertx) {
    AgentLite agent = new AgentLite(vertx, options(null));
    assertThatThrownBy(() -> agent.start().await(10, TimeUnit.SECONDS)).hasMessageContaining("--enroll-token");
  }
}
