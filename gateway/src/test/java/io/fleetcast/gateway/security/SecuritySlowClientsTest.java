package io.fleetcast.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.SharedTestServer;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.node.agent.UpgradeGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow and garbage clients: 2,000 connections that never finish the handshake, plus clients
 * sending garbage and half a request, fill the node's cap of unauthenticated connections; real
 * agents still connect at the first attempt and complete a rollout, the handshake deadline closes
 * the silent ones, and a second wave opened right after changes nothing. Loopback only; about
 * 5,000 descriptors at the peak (client and server side in this JVM).
 */
@Timeout(180)
class SecuritySlowClientsTest {
  static final int SILENT = 2000;
  static final int GARBAGE = 150;
  static final int HALF_REQUESTS = 150;
  static final int AGENTS = 20;
  static final int DEADLINE_SECONDS = SharedTestServer.HANDSHAKE_TIMEOUT_SECONDS;

  static TestServer server;
  static Vertx vertx;
  static Api api;
  static final List<Socket> sockets = new ArrayList<>();

  @BeforeAll
  static void start() {
    // the default cap (2,000) and upgrade rate; a short handshake deadline keeps the test short
    server = SharedTestServer.get();
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
  }

  @AfterAll
  static void stop() {
    closeAll();
    vertx.close().await();
  }

  /** Two waves of slow clients; between and during them, real agents connect at once and run a rollout. */
  @Test
  void slowAndGarbageClientsDoNotKeepAgentsOut() throws Exception {
    List<JsonObject> enrolled = api.enroll(2 * AGENTS, "legit");

    // GIVEN the cap of unauthenticated connections filled by clients that never finish the handshake
    List<Socket> firstWave = flood();
    awaitFloodOlderThanEvictionAge(System.nanoTime());
    assertThat(metric("fleetcast_agent_unauthenticated_connections")).as("pending connections")
        .isBetween(SILENT * 0.9, 2000.0);

    // WHEN real agents connect THEN every one gets in at the first attempt and gets its task
    connectAndRun(enrolled.subList(0, AGENTS));

    // THEN the deadline closes the silent connections (seen on the node's gauge first, then on the sockets)
    Waits.until(() -> metric("fleetcast_agent_unauthenticated_connections") < SILENT * 0.1 ? true : null,
        Duration.ofSeconds(DEADLINE_SECONDS + 60L));
    int closed = 0;
    for (Socket s : firstWave.subList(0, 200)) {
      closed += closedByServer(s) ? 1 : 0;
    }
    assertThat(closed).as("of 200 silent connections sampled, closed by the node").isEqualTo(200);

    // GIVEN the attacker re-opens as many at once WHEN more agents arrive THEN they get in too
    closeAll();
    flood();
    awaitFloodOlderThanEvictionAge(System.nanoTime());
    connectAndRun(enrolled.subList(AGENTS, 2 * AGENTS));
    assertThat(metric("fleetcast_agent_upgrades_rejected_total{reason=\"too_many_pending\""))
        .as("refused or evicted unfinished connections").isGreaterThan(0);
    closeAll();
    Waits.until(() -> metric("fleetcast_agent_unauthenticated_connections") < 10 ? true : null, Duration.ofSeconds(15));
  }

  /**
   * Waits until the node holds the flood and its connections are older than the eviction age:
   * only then may a newcomer take the place of one (a young flood is a storm, and refused). The
   * age is a lower bound by design, not a synchronisation; the gauge is the condition.
   */
  static void awaitFloodOlderThanEvictionAge(long floodEndNanos) {
    long minAge = UpgradeGuard.DEFAULT_EVICT_AFTER_NANOS + TimeUnit.MILLISECONDS.toNanos(200);
    Waits.until(() -> metric("fleetcast_agent_unauthenticated_connections") >= SILENT * 0.9
        && System.nanoTime() - floodEndNanos > minAge ? true : null, Duration.ofSeconds(60));
  }

  /** Opens the flood: garbage and half-sent requests first (they are answered or wait), then the silent ones. */
  static List<Socket> flood() throws IOException {
    Random random = new Random(7);
    List<Socket> wave = new ArrayList<>();
    for (int i = 0; i < GARBAGE; i++) {
      Socket s = open();
      byte[] junk = new byte[64 + random.nextInt(512)];
      random.nextBytes(junk);
      s.getOutputStream().write(junk);
      wave.add(s);
    }
    for (int i = 0; i < HALF_REQUESTS; i++) {
      Socket s = open();
      s.getOutputStream().write(("GET /agent/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nX-Slow-" + i + ": ")
          .getBytes(StandardCharsets.US_ASCII));
      wave.add(s);
    }
    List<Socket> silent = new ArrayList<>();
    for (int i = 0; i < SILENT; i++) {
      silent.add(open());
    }
    silent.addAll(wave);
    return silent;
  }

  static Socket open() throws IOException {
    Socket s = new Socket();
    s.setSoLinger(true, 0);
    s.connect(new InetSocketAddress("127.0.0.1", server.agentPort()), 5000);
    synchronized (sockets) {
      sockets.add(s);
    }
    return s;
  }

  static void connectAndRun(List<JsonObject> enrolled) {
    List<FakeAgent> agents = new ArrayList<>();
    List<Future<FakeAgent>> connects = new ArrayList<>();
    for (JsonObject e : enrolled) {
      FakeAgent a = FakeAgent.fromEnrollment(vertx, e);
      agents.add(a);
      connects.add(a.connect(server.agentUrl()));
    }
    try {
      // one attempt each (a refused or evicted upgrade fails its future): no elapsed time is asserted
      Future.all(connects).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("real agents could not connect through the flood at the first attempt", e);
    }
    JsonArray ids = new JsonArray();
    agents.forEach(a -> ids.add(a.id()));
    Api.Res r = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("agents", ids)));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonObject done = Waits.rolloutState(api, r.json().getString("id"), Set.of("completed", "halted"),
        Duration.ofSeconds(30));
    assertThat(done.getJsonObject("counts").getInteger("succeeded")).isEqualTo(enrolled.size());
    Future.all(agents.stream().map(FakeAgent::close).toList()).await();
  }

  /** True when the node has closed the socket (end of stream or reset) within a short wait. */
  static boolean closedByServer(Socket s) {
    try {
      s.setSoTimeout(1000);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[1024];
      while (true) {
        if (in.read(buf) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  static void closeAll() {
    synchronized (sockets) {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing
        }
      }
      sockets.clear();
    }
  }

  static double metric(String prefix) {
    String text = new Api(server.apiUrl(), null).get("/metrics").body();
    String name = prefix.contains("{") ? prefix.substring(0, prefix.indexOf('{')) : prefix;
    double sum = 0;
    for (String line : text.split("\n")) {
      if ((line.startsWith(name + "{") || line.startsWith(name + " "))
          && (!prefix.contains("{") || line.contains(prefix.substring(prefix.indexOf('{') + 1)))) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
