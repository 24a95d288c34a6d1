package io.fleetcast.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.RelayIndexProbe;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.protocol.Facts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rollouts with {@code wakeOffline} end to end. A sleeping machine "boots" (its agent connects)
 * when the UDP listener on 127.0.0.1 receives its magic packet. Every packet goes to that
 * listener: relays are agents with {@code wakeForceAddress 127.0.0.1}, the direct route names
 * 127.0.0.1, and the listener's port is {@code wake.defaultPort}.
 */
@Timeout(300)
class WakeRolloutEndToEndTest {
  static Vertx vertx;
  static LoopbackWakeListener listener;
  static TestServer server;
  static Api api;
  static Path states;
  static final List<AgentLite> lites = new ArrayList<>();
  static final List<FakeAgent> fakes = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    vertx = Vertx.vertx();
    listener = new LoopbackWakeListener(vertx);
    server = TestServer.start(Map.of(
        "wake.defaultPort", listener.port(),
        "wake.directRoutes", new JsonObject().put("192.0.2.0/24", new JsonObject()
            .put("127.0.0.1", new JsonArray().add(listener.port()))).encode(),
        "wake.repeats", 2,
        "wake.repeatIntervalMillis", 200,
        "wake.wakingTimeoutSeconds", 3,
        "wake.indexSyncMillis", 200));
    api = new Api(server.apiUrl(), server.adminToken());
    states = Files.createTempDirectory("wake-e2e");
  }

  @AfterAll
  static void stop() {
    lites.forEach(a -> a.stop().await());
    fakes.forEach(f -> f.close().await());
    vertx.close().await();
    server.close();
  }

  static AgentOptions options(String name, String token, String mac) {
    // the agent's subnet is loopback, and every packet it relays goes to 127.0.0.1 whatever the frame says
    Facts facts = new Facts(name, "TestOS 1.0", "x86_64", List.of("127.0.0.1"), List.of(mac), List.of("127.0.0.0/8"),
        List.of(), List.of());
    return new AgentOptions().stateDir(states.resolve(name)).gatewayUrl(server.apiUrl()).enrollmentToken(token)
        .dev(true).factsProvider(new StaticFactsProvider(facts)).backoffBase(Duration.ofMillis(100))
        .backoffCap(Duration.ofSeconds(1)).wakeBroadcast("127.0.0.1").wakeForceAddress("127.0.0.1").wakeRepeats(2)
        .wakeInterval(Duration.ofMillis(100));
  }

  static AgentLite lite(AgentOptions o) {
    AgentLite a = new AgentLite(vertx, o);
    synchronized (lites) {
      lites.add(a);
    }
    return a;
  }

  static String token(int uses) {
    return api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", uses)).json().getString("token");
  }

  /**
   * Waits until the agent's facts are stored (its connection was recorded) and it is offline: a
   * freshly enrolled row is offline too, but without the MACs and subnets a wake needs.
   */
  static void awaitOffline(String agentId) {
    Waits.until(() -> {
      JsonObject a = api.get("/api/v1/agents/" + agentId).json();
      boolean recorded = a.getString("connectedAt") != null && !a.getJsonObject("facts", new JsonObject()).isEmpty();
      return recorded && !a.getBoolean("online") ? true : null;
    }, Duration.ofSeconds(15));
  }

  static JsonObject wakeRollout(JsonArray agents, Instant expiresAt) {
    JsonObject body = Waits.execRollout(new JsonObject().put("agents", agents));
    body.put("strategy", new JsonObject().put("wakeOffline", true).put("expiresAt", expiresAt.toString()));
    Api.Res res = api.post("/api/v1/rollouts", body);
    assertThat(res.status()).as(res.body()).isEqualTo(201);
    return res.json();
  }

  static Instant wakeSentAt(String rolloutId, String agentId) {
    var url = server.db().url();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         PreparedStatement ps = c.prepareStatement(
             "SELECT wake_sent_at FROM rollout_targets WHERE rollout_id = ?::uuid AND agent_id = ?::uuid")) {
      ps.setString(1, rolloutId);
      ps.setString(2, agentId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getTimestamp(1) != null ? rs.getTimestamp(1).toInstant() : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static String targetState(String rolloutId, String agentId) {
    for (Object o : api.get("/api/v1/rollouts/" + rolloutId + "/targets").json().getJsonArray("items")) {
      JsonObject t = (JsonObject) o;
      if (t.getString("agentId").equals(agentId)) {
        return t.getString("state");
      }
    }
    return null;
  }

  /**
   * The offline target is woken by an online agent-lite in its subnet (relay), boots when its
   * packet arrives, gets the task and the rollout completes.
   */
  @Test
  void relayedWakeBootsTheTargetAndTheRolloutCompletes() {
    String token = token(2);
    // GIVEN an online relay and a target that connected once (so its MAC and subnet are known) and went to sleep
    AgentLite relay = lite(options("relay", token, "02:00:00:00:0e:01"));
    relay.start().await();
    AgentLite once = lite(options("sleeper", token, "02:00:00:00:0e:02"));
    once.start().await();
    Waits.until(() -> relay.connected() && once.connected() ? true : null, Duration.ofSeconds(20));
    String target = once.agentId();
    once.stop().await();
    awaitOffline(target);
    double wokenBefore = ScrapedMetrics.value(server.apiUrl(), "fleetcast_wake_to_connect_seconds_count");
    // AND the machine boots (its agent starts again) when its magic packet reaches the listener
    AtomicReference<AgentLite> booted = new AtomicReference<>();
    listener.onMagicPacket("02:00:00:00:0e:02", () -> {
      AgentLite a = lite(options("sleeper", null, "02:00:00:00:0e:02"));
      booted.set(a);
      a.start();
    });
    // the relay's subnet reaches the index (published every 200 ms), the sleeper's entry is gone
    RelayIndexProbe.awaitRelays(vertx, "127.0.0.0/8", List.of(relay.agentId()), List.of(relay.agentId(), target),
        Duration.ofSeconds(30));
    // WHEN a rollout with wakeOffline targets it
    String id = wakeRollout(new JsonArray().add(target), Instant.now().plusSeconds(120)).getString("id");
    // THEN it completes, the booted agent ran the task once
    JsonObject done = Waits.rolloutState(api, id, Set.of("completed", "expired", "halted"), Duration.ofSeconds(60));
    assertThat(done.getString("state")).isEqualTo("completed");
    assertThat(done.getJsonObject("counts").getInteger("succeeded")).isEqualTo(1);
    assertThat(booted.get()).isNotNull();
    Waits.until(() -> booted.get().executedTaskIds().size() == 1 ? true : null, Duration.ofSeconds(10));
    // AND the target was marked waking, its packet came through the relay, and wake-to-connect was measured
    assertThat(wakeSentAt(id, target)).isNotNull();
    assertThat(listener.count("02:00:00:00:0e:02")).isGreaterThanOrEqualTo(1);
    assertThat(ScrapedMetrics.value(server.apiUrl(), "fleetcast_wake_relays_total", "outcome=\"asked\"")).isGreaterThanOrEqualTo(1);
    Waits.until(() -> ScrapedMetrics.value(server.apiUrl(), "fleetcast_wake_relays_total", "outcome=\"done\"") >= 1
        ? true : null, Duration.ofSeconds(10));
    assertThat(ScrapedMetrics.value(server.apiUrl(), "fleetcast_wake_to_connect_seconds_count")).isGreaterThan(wokenBefore);
  }

  /** Without a relay in its subnet, the target is woken over a configured direct route (here: to 127.0.0.1). */
  @Test
  void directWakeBootsTheTargetAndTheRolloutCompletes() {
    // GIVEN a protocol-level agent in 192.0.2.0/24 (direct route, no relay) that went to sleep
    JsonObject enrolled = api.enroll(1, "wake-direct").get(0);
    Facts facts = new Facts("direct-sleeper", "os", "x86_64", List.of("192.0.2.77"), List.of("02:00:00:00:0d:02"),
        List.of("192.0.2.77/24"), List.of(), List.of());
    FakeAgent first = FakeAgent.fromEnrollment(vertx, enrolled).facts(facts);
    fakes.add(first);
    first.connect(server.agentUrl()).await();
    first.close().await();
    awaitOffline(first.id());
    AtomicReference<FakeAgent> booted = new AtomicReference<>();
    listener.onMagicPacket("02:00:00:00:0d:02", () -> {
      FakeAgent again = FakeAgent.fromEnrollment(vertx, enrolled).facts(facts);
      fakes.add(again);
      booted.set(again);
      again.connect(server.agentUrl());
    });
    // WHEN a rollout with wakeOffline targets it
    String id = wakeRollout(new JsonArray().add(first.id()), Instant.now().plusSeconds(120)).getString("id");
    // THEN it completes once the target booted on its packet
    JsonObject done = Waits.rolloutState(api, id, Set.of("completed", "expired", "halted"), Duration.ofSeconds(60));
    assertThat(done.getString("state")).isEqualTo("completed");
    // delivery is at-least-once (a connect can race with a dispatch); the agent answers each task id once
    assertThat(booted.get().tasks().stream().map(t -> t.taskId()).distinct()).hasSize(1);
    Waits.until(() -> booted.get().resultAcks() >= 1 ? true : null, Duration.ofSeconds(5));
    assertThat(booted.get().resultAcks()).isEqualTo(1);
    assertThat(wakeSentAt(id, first.id())).isNotNull();
    assertThat(ScrapedMetrics.value(server.apiUrl(), "fleetcast_wake_packets_total", "path=\"direct\"",
        "outcome=\"sent\"")).isGreaterThanOrEqualTo(1);
  }

  /**
   * A target that does not boot stays waking only until wake.wakingTimeoutSeconds, then waits as
   * a pending offline target: no longer in flight, so its wave ends and the next one is released
   * (and woken). Whatever is still open at expiresAt expires. A target with neither relay nor
   * route is left pending, with the reason.
   */
  @Test
  void wakingTimesOutToPendingWithoutHoldingTheWaveAndExpires() {
    List<JsonObject> enrolled = api.enroll(5, "wake-timeout");
    // GIVEN a relay (it records frames, sends nothing) and two sleepers that never boot, in 198.51.100.0/24,
    // an online agent elsewhere, and a sleeper in 203.0.113.0/24 that nothing can reach
    FakeAgent relay = fake(enrolled.get(0), "02:00:00:00:0f:01", "198.51.100.10/24");
    FakeAgent sleeperA = fake(enrolled.get(1), "02:00:00:00:0f:02", "198.51.100.20/24");
    FakeAgent sleeperB = fake(enrolled.get(2), "02:00:00:00:0f:03", "198.51.100.30/24");
    FakeAgent awake = fake(enrolled.get(3), "02:00:00:00:0f:04", "10.77.0.4/24");
    FakeAgent lost = fake(enrolled.get(4), "02:00:00:00:0f:05", "203.0.113.5/24");
    for (FakeAgent f : List.of(relay, sleeperA, sleeperB, awake, lost)) {
      f.connect(server.agentUrl()).await();
    }
    for (FakeAgent f : List.of(sleeperA, sleeperB, lost)) {
      f.close().await();
      awaitOffline(f.id());
    }
    // the relay index shows the relay in its subnet and none of the sleepers
    RelayIndexProbe.awaitRelays(vertx, "198.51.100.0/24", List.of(relay.id()),
        List.of(relay.id(), sleeperA.id(), sleeperB.id()), Duration.ofSeconds(30));
    RelayIndexProbe.awaitRelays(vertx, "203.0.113.0/24", List.of(), List.of(lost.id()), Duration.ofSeconds(30));
    // WHEN a rollout in two waves (online targets go first: wave 1 = awake + one sleeper, wave 2 = the other)
    // and one for the unreachable machine, both with wakeOffline, expire in 40 s (far beyond the 3 s
    // waking timeout, so that a loaded machine still sees the timeout act long before the expiry)
    Instant expiry = Instant.now().plusSeconds(40);
    JsonObject body = Waits.execRollout(new JsonObject().put("agents", new JsonArray().add(sleeperA.id())
        .add(sleeperB.id()).add(awake.id())));
    body.put("strategy", new JsonObject().put("wakeOffline", true).put("waves", new JsonArray().add(50).add(100))
        .put("expiresAt", expiry.toString()));
    Api.Res created = api.post("/api/v1/rollouts", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    String lostId = wakeRollout(new JsonArray().add(lost.id()), expiry).getString("id");
    // THEN the awake target completes and one sleeper is waking, relayed by the agent in its subnet
    Waits.until(() -> "succeeded".equals(targetState(id, awake.id())) ? true : null, Duration.ofSeconds(30));
    Waits.until(() -> "waking".equals(targetState(id, sleeperA.id())) || "waking".equals(targetState(id, sleeperB.id()))
        ? true : null, Duration.ofSeconds(30));
    // AND once that one's waking times out, wave 2 is released and the other sleeper is woken too, while
    // the rollout still runs (state, not the clock, says it was not the expiry that moved it)
    Waits.until(() -> wakeSentAt(id, sleeperA.id()) != null && wakeSentAt(id, sleeperB.id()) != null ? true : null,
        Duration.ofSeconds(30));
    JsonObject atWave2 = api.get("/api/v1/rollouts/" + id).json();
    assertThat(atWave2.getString("state")).isEqualTo("running");
    assertThat(atWave2.getInteger("currentWave")).isEqualTo(2);
    // (the frame follows the marking through the pacer and the node)
    for (String mac : List.of("02:00:00:00:0f:02", "02:00:00:00:0f:03")) {
      Waits.until(() -> relay.received().stream().anyMatch(f -> f.contains("wakeRelay") && f.contains(mac)) ? true : null,
          Duration.ofSeconds(30));
    }
    // AND after the timeout both sleepers are pending again while the rollout keeps running
    Waits.until(() -> "pending".equals(targetState(id, sleeperA.id())) && "pending".equals(targetState(id, sleeperB.id()))
        ? true : null, Duration.ofSeconds(30));
    assertThat(api.get("/api/v1/rollouts/" + id).json().getString("state")).isEqualTo("running");
    // AND the unreachable machine was never marked waking; it waits pending, saying why
    JsonObject lostRow = api.get("/api/v1/rollouts/" + lostId + "/targets").json().getJsonArray("items").getJsonObject(0);
    assertThat(lostRow.getString("state")).isEqualTo("pending");
    assertThat(lostRow.getString("reason")).contains("not woken").contains("203.0.113.0/24");
    assertThat(wakeSentAt(lostId, lost.id())).isNull();
    // AND at expiresAt the open targets expire
    JsonObject end = Waits.rolloutState(api, id, Set.of("expired", "completed", "halted"), Duration.ofSeconds(90));
    assertThat(end.getString("state")).isEqualTo("expired");
    assertThat(end.getJsonObject("counts").getInteger("expired")).isEqualTo(2);
    assertThat(end.getJsonObject("counts").getInteger("succeeded")).isEqualTo(1);
    assertThat(Waits.rolloutState(api, lostId, Set.of("expired", "completed"), Duration.ofSeconds(10)).getString("state"))
        .isEqualTo("expired");
  }

  static FakeAgent fake(JsonObject enrolled, String mac, String cidr) {
    FakeAgent f = FakeAgent.fromEnrollment(vertx, enrolled).facts(new Facts("h-" + UUID.randomUUID(), "os", "x86_64",
        List.of(cidr.split("/")[0]), List.of(mac), List.of(cidr), List.of(), List.of()));
    fakes.add(f);
    return f;
  }

}
