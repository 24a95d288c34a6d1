package io.fleetcast.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Promises of the engine about when work goes out: a lost dispatch is sent again, a scheduled start is kept. */
@Timeout(180)
class DispatchRecoveryTest {
  static TestServer server;
  static Vertx vertx;
  static Api api;
  /** Dispatch messages to drop before letting them through (the event bus is best-effort). */
  static final AtomicInteger toDrop = new AtomicInteger();
  static final AtomicInteger dropped = new AtomicInteger();

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("rollouts.redispatchSeconds", 2, "node.sendTimeoutMillis", 1500));
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
    String address = Addresses.dispatch(server.runtime().node().nodeId());
    server.runtime().vertx().eventBus().addOutboundInterceptor(ctx -> {
      if (address.equals(ctx.message().address()) && toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        dropped.incrementAndGet(); // lost on the way: neither delivered nor answered
        return;
      }
      ctx.next();
    });
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    server.close();
  }

  /**
   * The dispatch message to the node is lost: the target stays dispatched, and the periodic pass
   * sends it again after rollouts.redispatchSeconds; the agent runs it once.
   */
  @Test
  void aLostDispatchIsSentAgainByThePeriodicPass() {
    // GIVEN a connected agent and a lost first dispatch
    FakeAgent agent = FakeAgent.fromEnrollment(vertx, api.enroll(1, "lost").get(0));
    agent.connect(server.agentUrl()).await();
    toDrop.set(1);

    // WHEN a rollout targets it
    String id = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("agents", new JsonArray().add(agent.id())))).json().getString("id");

    // THEN it completes, after exactly one lost message, with the task received and run once
    JsonObject r = Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(90));
    assertThat(dropped).hasValue(1);
    assertThat(r.getJsonObject("counts").getInteger("succeeded")).isEqualTo(1);
    assertThat(agent.tasks()).hasSize(1);
    JsonObject target = api.get("/api/v1/rollouts/" + id + "/targets").json().getJsonArray("items").getJsonObject(0);
    assertThat(target.getInteger("attempts")).as("the first send and the periodic re-send").isEqualTo(2);
    agent.close();
  }

  /** A rollout with startAfter stays scheduled until then: it starts, and its task goes out, no earlier than that time. */
  @Test
  void aStartAfterRolloutStartsNoEarlierThanItsTime() {
    // GIVEN a connected agent and a rollout to start a few seconds from now
    FakeAgent agent = FakeAgent.fromEnrollment(vertx, api.enroll(1, "later").get(0));
    agent.connect(server.agentUrl()).await();
    Instant startAfter = Instant.now().plusSeconds(4);
    JsonObject spec = Waits.execRollout(new JsonObject().put("agents", new JsonArray().add(agent.id())));
    spec.put("strategy", new JsonObject().put("startAfter", startAfter.toString()));

    // WHEN it is created
    String id = api.post("/api/v1/rollouts", spec).json().getString("id");

    // THEN it is scheduled first, then completes
    assertThat(api.get("/api/v1/rollouts/" + id).json().getString("state")).isEqualTo("scheduled");
    JsonObject r = Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(90));

    // AND it started, and dispatched its target, no earlier than startAfter
    assertThat(Instant.parse(r.getString("startedAt"))).isAfterOrEqualTo(startAfter);
    JsonObject target = api.get("/api/v1/rollouts/" + id + "/targets").json().getJsonArray("items").getJsonObject(0);
    assertThat(Instant.parse(target.getString("dispatchedAt"))).isAfterOrEqualTo(startAfter);
    assertThat(agent.tasks()).hasSize(1);
    agent.close();
  }
}
