package io.fleetcast.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.RelayIndexProbe;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code POST /api/v1/wake} against a real server with protocol-level agents. Relays are
 * FakeAgents (they only record the wakeRelay frame); the direct route points at a UDP listener
 * on 127.0.0.1, so nothing is sent anywhere else.
 */
@Timeout(120)
class WakeApiTest {
  static Vertx vertx;
  static LoopbackWakeListener listener;
  static TestServer server;
  static Api api;
  static final Map<String, FakeAgent> agents = new HashMap<>();
  static final Map<String, String> ids = new HashMap<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    listener = new LoopbackWakeListener(vertx);
    server = TestServer.start(Map.of(
        "wake.defaultPort", listener.port(),
        "wake.directRoutes", new JsonObject().put("192.0.2.0/24", new JsonObject()
            .put("127.0.0.1", new JsonArray().add(listener.port()))).encode(),
        "wake.repeats", 2,
        "wake.repeatIntervalMillis", 100,
        "wake.relayTimeoutSeconds", 3,
        "wake.indexSyncMillis", 200));
    api = new Api(server.apiUrl(), server.adminToken());
    // GIVEN relays r1-r3 in 10.10.1.0/24, r4 in 10.10.2.0/24, and a connected agent "up" in 10.10.5.0/24
    List<JsonObject> enrolled = api.enroll(8, "wake-api");
    String[][] fleet = {
        {"r1", "02:00:00:00:01:01", "10.10.1.11/24"}, {"r2", "02:00:00:00:01:02", "10.10.1.12/24"},
        {"r3", "02:00:00:00:01:03", "10.10.1.13/24"}, {"r4", "02:00:00:00:02:01", "10.10.2.14/24"},
        {"up", "02:00:00:00:05:09", "10.10.5.19/24"},
        // AND sleeping targets in 10.10.1.0/24 (relays), 192.0.2.0/24 (direct route), 10.10.9.0/24 (nothing)
        {"tA", "02:00:00:00:0a:01", "10.10.1.50/24"}, {"tD", "02:00:00:00:0d:01", "192.0.2.50/24"},
        {"tC", "02:00:00:00:0c:01", "10.10.9.50/24"}};
    for (int i = 0; i < fleet.length; i++) {
      String name = fleet[i][0];
      FakeAgent a = FakeAgent.fromEnrollment(vertx, enrolled.get(i)).facts(new Facts(name, "os", "x86_64",
          List.of(fleet[i][2].split("/")[0]), List.of(fleet[i][1]), List.of(fleet[i][2]), List.of(), List.of()));
      a.connect(server.agentUrl()).await();
      agents.put(name, a);
      ids.put(name, a.id());
    }
    for (String sleeper : List.of("tA", "tD", "tC")) {
      agents.get(sleeper).close().await();
      Waits.until(() -> api.get("/api/v1/agents/" + ids.get(sleeper)).json().getBoolean("online") ? null : true,
          Duration.ofSeconds(10));
    }
    // the node publishes its agents' subnets every 200 ms: wait until the index shows exactly the
    // online agents of each subnet (and none of the sleepers) rather than for a while
    Map<String, List<String>> online = new HashMap<>();
    for (String[] row : fleet) {
      online.computeIfAbsent(Subnet.canonicalOrNull(row[2]), k -> new ArrayList<>());
      if (!List.of("tA", "tD", "tC").contains(row[0])) {
        online.get(Subnet.canonicalOrNull(row[2])).add(ids.get(row[0]));
      }
    }
    online.forEach((subnet, relays) -> RelayIndexProbe.awaitRelays(vertx, subnet, relays, ids.values(),
        Duration.ofSeconds(30)));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    server.close();
  }

  static List<NodeMessage.WakeRelay> relayFrames(String name) {
    return agents.get(name).received().stream().filter(s -> s.contains("\"wakeRelay\""))
        .map(s -> (NodeMessage.WakeRelay) NodeMessage.decode(s)).toList();
  }

  /** Relayed, direct and unreachable targets are told apart, and the relays asked are those of the right subnet. */
  @Test
  void answersRelayedDirectAndUnreachable() {
    String unknown = UUID.randomUUID().toString();
    JsonObject body = new JsonObject()
        .put("agents", new JsonArray().add(ids.get("tA")).add(ids.get("tD")).add(ids.get("tC")).add(ids.get("up"))
            .add(unknown))
        .put("macs", new JsonArray()
            .add(new JsonObject().put("mac", "02-00-00-00-99-01").put("subnet", "10.10.2.0/24"))
            .add("0200.0000.0c01")            // tC's MAC without subnet: found through tC's facts
            .add("02:00:00:00:99:02"));       // unknown MAC without subnet
    // WHEN an operator asks to wake them
    Api.Res res = api.post("/api/v1/wake", body);
    // THEN 202 with the split
    assertThat(res.status()).as(res.body()).isEqualTo(202);
    JsonObject a = res.json();
    assertThat(a.getString("requestId")).isNotBlank();
    assertThat(a.getInteger("relayed")).isEqualTo(2);
    assertThat(a.getInteger("direct")).isEqualTo(1);
    assertThat(a.getJsonArray("online").getList()).containsExactly(ids.get("up"));
    Map<String, String> reasons = new HashMap<>();
    for (Object o : a.getJsonArray("unreachable")) {
      JsonObject u = (JsonObject) o;
      assertThat(u.getString("detail")).isNotBlank();
      reasons.put(u.containsKey("agentId") ? u.getString("agentId") : u.getString("mac"), u.getString("reason"));
    }
    assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of(
        ids.get("tC"), "no_relay_or_route",
        unknown, "unknown_agent",
        "02:00:00:00:0c:01", "no_relay_or_route",
        "02:00:00:00:99:02", "no_subnet"));
    Map<String, JsonObject> targets = a.getJsonArray("targets").stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(t -> t.containsKey("agentId") ? t.getString("agentId") : t.getString("mac"), t -> t));
    Set<String> subnet1 = Set.of(ids.get("r1"), ids.get("r2"), ids.get("r3"));
    assertThat(targets.get(ids.get("tA")).getJsonArray("relays").getList()).hasSize(2).allMatch(subnet1::contains);
    assertThat(targets.get("02:00:00:00:99:01").getJsonArray("relays").getList()).containsExactly(ids.get("r4"));
    assertThat(targets.get(ids.get("tD")).getInteger("direct")).isEqualTo(1);

    // AND exactly two of r1-r3 get a wakeRelay frame for tA: broadcast of its subnet, the configured port
    Waits.until(() -> List.of("r1", "r2", "r3").stream().filter(n -> !relayFrames(n).isEmpty()).count() == 2 ? true : null,
        Duration.ofSeconds(10));
    for (String n : List.of("r1", "r2", "r3")) {
      for (NodeMessage.WakeRelay f : relayFrames(n)) {
        assertThat(f.targets()).singleElement().satisfies(t -> {
          assertThat(t.mac()).isEqualTo("02:00:00:00:0a:01");
          assertThat(t.broadcast()).isEqualTo("10.10.1.255");
          assertThat(t.port()).isEqualTo(listener.port());
        });
      }
    }
    // AND r4 relays the raw MAC into its subnet; the connected agent and the unreachable ones get nothing
    Waits.until(() -> relayFrames("r4").isEmpty() ? null : true, Duration.ofSeconds(10));
    assertThat(relayFrames("r4")).singleElement().satisfies(f -> assertThat(f.targets()).singleElement()
        .satisfies(t -> assertThat(t.broadcast()).isEqualTo("10.10.2.255")));
    assertThat(relayFrames("up")).isEmpty();
    // AND tD's packet arrives at the (loopback) direct route, twice (wake.repeats = 2)
    Waits.until(() -> listener.count("02:00:00:00:0d:01") >= 2 ? true : null, Duration.ofSeconds(10));
    assertThat(listener.received()).doesNotContain("02:00:00:00:0c:01", "02:00:00:00:0a:01");
    assertThat(listener.malformed()).isEmpty();

    // WHEN r4 reports its packets sent and r1-r3 never answer
    NodeMessage.WakeRelay r4Frame = relayFrames("r4").get(0);
    agents.get("r4").send(new AgentMessage.WakeDone(r4Frame.requestId(), List.of("02:00:00:00:99:01"), List.of()).encode());
    // THEN the relays are counted: one done, two timed out
    Waits.until(() -> ScrapedMetrics.value(server.apiUrl(), "fleetcast_wake_relays_total", "outcome=\"done\"") >= 1
        && ScrapedMetrics.value(server.apiUrl(), "fleetcast_wake_relays_total", "outcome=\"timeout\"") >= 2 ? true : null,
        Duration.ofSeconds(15));
    assertThat(ScrapedMetrics.value(server.apiUrl(), "fleetcast_wake_relays_total", "outcome=\"asked\"")).isEqualTo(3);
    assertThat(ScrapedMetrics.value(server.apiUrl(), "fleetcast_wake_packets_total", "path=\"relay\"",
        "outcome=\"sent\"")).isEqualTo(1);
    assertThat(ScrapedMetrics.value(server.apiUrl(), "fleetcast_wake_packets_total", "path=\"direct\"",
        "outcome=\"sent\"")).isGreaterThanOrEqualTo(2);
    assertThat(ScrapedMetrics.value(server.apiUrl(), "fleetcast_wake_unreachable_total", "reason=\"no_relay_or_route\""))
        .isGreaterThanOrEqualTo(2);
    // AND the call is in the audit log
    JsonArray audit = api.get("/api/v1/audit?limit=1000").json().getJsonArray("items");
    JsonObject row = audit.stream().map(o -> (JsonObject) o)
        .filter(e -> e.getString("action").equals("wake") && a.getString("requestId").equals(e.getString("target")))
        .findFirst().orElseThrow();
    assertThat(row.getString("role")).isEqualTo("admin");
    assertThat(row.getJsonObject("detail").getInteger("relayed")).isEqualTo(2);
    assertThat(row.getJsonObject("detail").getInteger("unreachable")).isEqualTo(4);
  }

  /** Bad MACs, subnets and agent ids are refused with one error per field, and nothing is sent or audited. */
  @Test
  void rejectsBadInputWithPerFieldErrors() {
    long auditBefore = api.get("/api/v1/audit?limit=1000").json().getJsonArray("items").size();
    JsonObject body = new JsonObject()
        .put("agents", new JsonArray().add("not-a-uuid"))
        .put("macs", new JsonArray()
            .add("02:00:00:00:00:01")
            .add("zz:00:00:00:00:01")
            .add(new JsonObject().put("mac", "0200.0000.0001x"))
            .add(new JsonObject().put("mac", "02:00:00:00:00:02").put("subnet", "10.1.2.0"))
            .add(42)
            .add("02:00:00:00:00:0"))
        .put("secureOn", "1.2.3");
    Api.Res res = api.post("/api/v1/wake", body);
    assertThat(res.status()).isEqualTo(400);
    assertThat(res.header("Content-Type")).startsWith("application/problem+json");
    Map<String, String> errors = new HashMap<>();
    res.json().getJsonArray("errors").forEach(o -> errors.put(((JsonObject) o).getString("field"),
        ((JsonObject) o).getString("message")));
    assertThat(errors.keySet()).containsExactlyInAnyOrder("agents[0]", "macs[1]", "macs[2].mac", "macs[3].subnet",
        "macs[4]", "macs[5]", "secureOn");
    assertThat(errors.get("macs[1]")).contains("'z' is not a hex digit");
    assertThat(errors.get("macs[5]")).contains("expected aa:bb:cc:dd:ee:ff");
    assertThat(errors.get("macs[3].subnet")).contains("CIDR");

    Api.Res empty = api.post("/api/v1/wake", new JsonObject());
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("agents");
    Api.Res unknownField = api.post("/api/v1/wake", new JsonObject().put("macs", new JsonArray().add("02:00:00:00:00:01"))
        .put("broadcast", "255.255.255.255"));
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.body()).contains("broadcast").contains("unknown field");

    // a valid wake of a marker MAC on the direct route: once its packet arrived, anything the
    // refused requests had sent would have arrived before it
    Api.Res marker = api.post("/api/v1/wake", new JsonObject().put("macs", new JsonArray()
        .add(new JsonObject().put("mac", "02:00:00:00:0d:fe").put("subnet", "192.0.2.0/24"))));
    assertThat(marker.status()).as(marker.body()).isEqualTo(202);
    Waits.until(() -> listener.received().contains("02:00:00:00:0d:fe") ? true : null, Duration.ofSeconds(30));
    assertThat(api.get("/api/v1/audit?limit=1000").json().getJsonArray("items").size())
        .as("only the marker's request is audited").isEqualTo(auditBefore + 1);
    assertThat(listener.received()).doesNotContain("02:00:00:00:00:01", "02:00:00:00:00:02");
  }

  /** Waking is an operator's call: a viewer token is refused. */
  @Test
  void viewersMayNotWake() {
    String viewer = api.post("/api/v1/api-tokens", new JsonObject().put("name", "wake-viewer").put("role", "viewer"))
        .json().getString("token");
    Api.Res res = api.as(viewer).post("/api/v1/wake", new JsonObject().put("agents", new JsonArray().add(ids.get("tA"))));
    assertThat(res.status()).isEqualTo(403);
  }
}
