package io.fleetcast.gateway.cluster;

import io.fleetcast.agent.AgentListener;
import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.common.db.PgUrl;
import io.fleetcast.common.testing.TestDatabase;
import io.fleetcast.gateway.rollout.TaskSigner;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.ServerProcess;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The partition run of {@link PartitionTest}, in its own JVM inside network namespace A (which
 * holds Postgres, the gateway, node-1 and node-2); node-3 and a second gateway run in namespace
 * B, joined to A by a veth pair. The cut drops every packet between the namespaces except agent
 * traffic to node-3, the second gateway's API, and B's Postgres connections: B (2 of 5 members)
 * loses the majority, not Postgres or its agents.
 *
 * <p>Checks, in order: the majority purges node-3 (its agents offline); node-3 reports it lost
 * the quorum, refuses new agents, and refuses a dispatch (a cancel) sent by the gateway on its
 * own side, which never reaches the agents; a rollout started at the cut is not stalled by
 * targets sent to node-3 and completes during the cut, once node-3 has sent its agents to the
 * majority, with one result per agent and no task run twice; after the heal node-3 rejoins (new
 * member UUID) and re-asserts the agents it kept; a later crash of node-3 is purged by its node id.
 * Exits 0 when every check held.
 */
public final class PartitionScenario {
  static final String A = "198.18.0.1";
  static final String B = "198.18.0.2";
  static final int AGENTS = 16;

  private final String nsA;
  private final String nsB;
  private final Path logs;
  private final List<ServerProcess> processes = new ArrayList<>();
  private final String adminToken = "fct_part_" + UUID.randomUUID().toString().replace("-", "");
  private TestDatabase db;
  private Vertx vertx;

  PartitionScenario(String nsA, String nsB, Path logs) {
    this.nsA = nsA;
    this.nsB = nsB;
    this.logs = logs;
  }

  public static void main(String[] args) {
    PartitionScenario s = new PartitionScenario(args[0], args[1], Path.of(args[2]));
    int code = 1;
    try {
      s.run();
      code = 0;
      log("partition.passed");
    } catch (Throwable e) {
      e.printStackTrace(System.out);
      s.processes.forEach(p -> System.out.println("---- " + p.name() + "\n" + p.tail()));
    } finally {
      s.close();
    }
    System.exit(code);
  }

  static void log(String event, Object... kv) {
    StringBuilder b = new StringBuilder("event=").append(event);
    for (int i = 0; i + 1 < kv.length; i += 2) {
      b.append(' ').append(kv[i]).append('=').append(kv[i + 1]);
    }
    System.out.println(b);
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
    log("partition.check", "ok", what.replace(' ', '_'));
  }

  void run() throws Exception {
    db = TestDatabase.create(); // embedded: nothing listens on 5432 inside the namespace
    vertx = Vertx.vertx();
    NetServer relay = relayToPostgres();
    Path dir = Files.createTempDirectory("fleetcast-partition");
    Path key = dir.resolve("signing.pem");
    TaskSigner.load(key, true, null);
    Map<String, String> env = baseEnv(key);
    int gwPort = ServerProcess.freePort();
    int a1 = ServerProcess.freePort();
    int a2 = ServerProcess.freePort();
    int a3 = 20_000 + (int) (Math.random() * 20_000);
    int gbPort = a3 + 1; // namespace B is empty: any port is free there
    ServerProcess gw = launch("gateway", "gateway", gwPort, env, dir, Map.of("FLEETCAST_CLUSTER_HOST", A,
        "FLEETCAST_CLUSTER_EVENT_BUS_HOST", A, "FLEETCAST_API_HOST", "127.0.0.1", "FLEETCAST_PG_URL", db.url().toString()),
        List.of(), "127.0.0.1");
    ServerProcess node1 = launch("node-1", "node", a1, env, dir, Map.of("FLEETCAST_CLUSTER_HOST", A,
        "FLEETCAST_CLUSTER_EVENT_BUS_HOST", A, "FLEETCAST_AGENT_HOST", "127.0.0.1", "FLEETCAST_NODE_ID", "node-1",
        "FLEETCAST_PG_URL", db.url().toString()), List.of(), "127.0.0.1");
    launch("node-2", "node", a2, env, dir, Map.of("FLEETCAST_CLUSTER_HOST", A,
        "FLEETCAST_CLUSTER_EVENT_BUS_HOST", A, "FLEETCAST_AGENT_HOST", "127.0.0.1", "FLEETCAST_NODE_ID", "node-2",
        "FLEETCAST_PG_URL", db.url().toString()), List.of(), "127.0.0.1");
    PgUrl viaRelay = new PgUrl(A, relay.actualPort(), db.url().database(), db.url().user(), db.url().password());
    ServerProcess node3 = launch("node-3", "node", a3, env, dir, Map.of("FLEETCAST_CLUSTER_HOST", B,
        "FLEETCAST_CLUSTER_EVENT_BUS_HOST", B, "FLEETCAST_AGENT_HOST", B, "FLEETCAST_NODE_ID", "node-3",
        "FLEETCAST_PG_URL", viaRelay.toString()), List.of("ip", "netns", "exec", nsB), B);
    launch("gateway-b", "gateway", gbPort, env, dir, Map.of("FLEETCAST_CLUSTER_HOST", B,
        "FLEETCAST_CLUSTER_EVENT_BUS_HOST", B, "FLEETCAST_API_HOST", B, "FLEETCAST_PG_URL", viaRelay.toString()),
        List.of("ip", "netns", "exec", nsB), B);
    for (ServerProcess p : processes) {
      p.awaitReady(Duration.ofSeconds(180));
    }
    Api api = new Api("http://127.0.0.1:" + gwPort, adminToken);
    Waits.until(() -> api.get("/api/v1/cluster").json().getJsonArray("nodes").size() == 3 ? true : null,
        Duration.ofSeconds(60));
    log("partition.cluster_up");

    // GIVEN agents spread over node-1 and node-3, and two agents on node-3 that ignore "reconnect"
    Map<String, String> nodeOf = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    List<AgentLite> agents = startAgents(api, gwPort, nodeOf, runs);
    List<String> onNode3 = nodeOf.entrySet().stream().filter(e -> e.getValue().equals("node-3")).map(Map.Entry::getKey)
        .toList();
    log("partition.spread", "onNode3", onNode3.size(), "total", nodeOf.size());
    check(onNode3.size() >= 2 && onNode3.size() <= AGENTS - 2, "agents spread over node-3 and the others");
    String node3Url = "ws://" + B + ":" + a3 + "/agent/v1";
    List<FakeAgent> stayers = new ArrayList<>();
    for (JsonObject e : api.enroll(2, "stay")) {
      FakeAgent f = FakeAgent.fromEnrollment(vertx, e).autoAnswer(false);
      f.connect(node3Url).await();
      stayers.add(f);
    }
    awaitAgents(api, stayers, true, "node-3");
    // AND a rollout holding a task in the stayers' hands (they never answer it)
    String held = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("tags", new JsonArray().add("stay")))).json().getString("id");
    Waits.until(() -> stayers.stream().allMatch(f -> !f.tasks().isEmpty()) ? true : null, Duration.ofSeconds(60));

    // WHEN node-3 and gateway-b are cut off from the other members, and a rollout to every agent starts
    cut(a3, gbPort, relay.actualPort());
    String rollout = api.post("/api/v1/rollouts", new JsonObject().put("name", "partition")
        .put("steps", new JsonArray().add(new JsonObject().put("kind", "exec").put("spec", new JsonObject()
            .put("command", "sleep").put("args", new JsonArray().add("0.2")))))
        .put("targets", new JsonObject().put("tags", new JsonArray().add("part")))
        .put("strategy", new JsonObject().put("maxInFlight", 4))).json().getString("id");

    // THEN the majority marks node-3's agents offline
    awaitAgents(api, stayers, false, null);
    check(true, "majority marked node-3 agents offline");
    // AND node-3 knows it lost the quorum: not ready, and it refuses new agents
    JsonObject report = readiness(B, a3);
    check("down".equals(report.getJsonObject("checks", new JsonObject()).getString("node.quorum")),
        "node-3 reports node.quorum down: " + report);
    check(upgradeRefused(B, a3), "node-3 refuses new agents below quorum");
    // AND it refuses dispatch from its own side: gateway-b cancels the held rollout, its cancel reaches no agent
    Api minority = new Api("http://" + B + ":" + gbPort, adminToken);
    // the cancel is sent once: let the minority settle first (the majority's node entries expired,
    // node-3's announcements land, so Hazelcast serves this side again)
    Waits.until(() -> minoritySettled(minority) ? true : null, Duration.ofSeconds(60));
    Api.Res cancelled = minority.post("/api/v1/rollouts/" + held + "/cancel", new JsonObject());
    check(cancelled.status() == 200, "gateway-b cancelled the held rollout: " + cancelled.status() + " " + cancelled.body());
    // whether gateway-b routes its one cancel to node-3 depends on which location entries survived
    // on its side of the split (seen both ways in full-suite runs); when it does, node-3 must refuse it. That the
    // inbox refuses below quorum is NodeInboxQuorumTest's; what must hold here either way is that
    // no cancel reaches an agent from the minority side.
    boolean refused = waitForRefusal(B, a3, Duration.ofSeconds(20));
    log("partition.minority_cancel", "refusedByNode3", refused, "gatewayBusFailures",
        metricLines(B, gbPort, "fleetcast_eventbus_failures").replace(' ', '_'));
    check(stayers.stream().noneMatch(f -> f.received().stream().anyMatch(m -> m.contains("\"cancel\""))),
        "no cancel from the minority reached node-3's agents (node-3 refused it: " + refused + ")");
    // AND the rollout completes during the cut: node-3 moved its agents to the majority
    JsonObject done = Waits.rolloutState(api, rollout, Set.of("completed", "halted", "expired"), Duration.ofSeconds(120));
    check("completed".equals(done.getString("state")) && done.getJsonObject("counts").getInteger("succeeded") == AGENTS,
        "rollout completed during the cut: " + done);
    check(onNode3.stream().allMatch(a -> Set.of("node-1", "node-2").contains(nodeOf.get(a))),
        "node-3's agents moved to the majority");
    check(runs.values().stream().allMatch(n -> n.get() == 1) && runs.size() == AGENTS, "each agent ran the task once");
    check(resultsOnce(rollout), "one result per agent");
    check(stayers.stream().noneMatch(FakeAgent::closed), "the agents ignoring reconnect are still connected to node-3");

    // WHEN the cut heals
    heal();
    // THEN node-3 rejoins (a merge: new member UUID) and re-asserts the agents it kept
    awaitAgents(api, stayers, true, "node-3");
    check(true, "node-3 re-asserted its agents after the merge");
    // AND a crash of node-3 after the merge is purged by its node id
    node3.kill9();
    awaitAgents(api, stayers, false, null);
    check(true, "crash of node-3 after the merge purged its agents");
    agents.forEach(a -> a.stop().await());
  }

  private NetServer relayToPostgres() {
    return vertx.createNetServer().connectHandler(in -> {
      in.pause();
      vertx.createNetClient().connect(db.url().port(), db.url().host()).onSuccess(out -> {
        in.pipeTo(out);
        out.pipeTo(in);
        in.resume();
      }).onFailure(e -> in.close());
    }).listen(0, A).await();
  }

  private Map<String, String> baseEnv(Path key) {
    Map<String, String> env = new HashMap<>();
    env.put("FLEETCAST_DEV", "true");
    env.put("FLEETCAST_PG_POOL_SIZE", "4");
    env.put("FLEETCAST_ADMIN_TOKEN", adminToken);
    env.put("FLEETCAST_SIGNING_KEY_FILE", key.toString());
    env.put("FLEETCAST_CLUSTER_NAME", "fc-partition-" + UUID.randomUUID().toString().substring(0, 8));
    env.put("FLEETCAST_CLUSTER_PORT", "5701");
    // nodes share a namespace: each takes a free depot port (the default 8082 can be held only once)
    env.put("FLEETCAST_DEPOT_PORT", "0");
    env.put("FLEETCAST_CLUSTER_MEMBERS", A + ":5701-5705," + B + ":5701-5705");
    env.put("FLEETCAST_CLUSTER_HEARTBEAT_SECONDS", "1");
    env.put("FLEETCAST_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "6");
    env.put("FLEETCAST_CLUSTER_EXPECTED_MEMBERS", "5");
    // the minority side lost the map partitions the majority held: nodes refill theirs quickly
    env.put("FLEETCAST_AGENT_REASSERT_SECONDS", "2");
    // every member holds a copy of every partition: the minority keeps its routing state
    env.put("FLEETCAST_CLUSTER_BACKUP_COUNT", "4");
    env.put("FLEETCAST_CLUSTER_MINORITY_RECONNECT_SECONDS", "5");
    env.put("FLEETCAST_ROLLOUTS_TICK_MILLIS", "500");
    env.put("FLEETCAST_ROLLOUTS_LEASE_SECONDS", "5");
    env.put("FLEETCAST_ROLLOUTS_REDISPATCH_SECONDS", "4");
    env.put("FLEETCAST_NODE_SEND_TIMEOUT_MILLIS", "3000");
    env.put("FLEETCAST_API_RATE_LIMIT_PER_SECOND", "100000");
    env.put("FLEETCAST_LOG_LEVEL", "INFO");
    return env;
  }

  private ServerProcess launch(String name, String role, int port, Map<String, String> env, Path dir,
      Map<String, String> extra, List<String> launcher, String host) {
    Map<String, String> e = new HashMap<>(env);
    e.putAll(extra);
    e.put("FLEETCAST_DATA_DIR", dir.resolve(name).toString());
    e.put(role.equals("gateway") ? "FLEETCAST_API_PORT" : "FLEETCAST_AGENT_PORT", String.valueOf(port));
    e.put(role.equals("gateway") ? "FLEETCAST_AGENT_PORT" : "FLEETCAST_API_PORT", String.valueOf(ServerProcess.freePort()));
    ServerProcess p = ServerProcess.start(name, role, port, e, logs, launcher, host);
    processes.add(p);
    return p;
  }

  private List<AgentLite> startAgents(Api api, int gwPort, Map<String, String> nodeOf, Map<String, AtomicInteger> runs)
      throws Exception {
    String token = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", AGENTS)
        .put("tags", new JsonArray().add("part"))).json().getString("token");
    Path states = Files.createTempDirectory("partition-agents");
    List<AgentLite> out = new ArrayList<>();
    List<Future<Void>> starts = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      AgentLite a = new AgentLite(vertx, new AgentOptions().stateDir(states.resolve("a" + i))
          .gatewayUrl("http://127.0.0.1:" + gwPort).enrollmentToken(token).dev(true)
          .factsProvider(StaticFactsProvider.loopback("part" + i)).backoffBase(Duration.ofMillis(500))
          .backoffCap(Duration.ofSeconds(4)));
      AgentLite self = a;
      a.addListener(new AgentListener() {
        @Override
        public void onConnected(String nodeUrl, String nodeId) {
          nodeOf.put(self.agentId(), nodeId);
        }

        @Override
        public void onTaskStarted(String taskId, String kind) {
          runs.computeIfAbsent(self.agentId() + "/" + taskId, k -> new AtomicInteger()).incrementAndGet();
        }
      });
      out.add(a);
      starts.add(a.start());
      if (i % 4 == 3) {
        Future.all(starts).timeout(90, TimeUnit.SECONDS).await(); // a fleet arrives over time, not at once
        starts.clear();
        Thread.sleep(1_200); // let the load reports catch up so bootstrap spreads them over both nodes
      }
    }
    Future.all(starts).timeout(90, TimeUnit.SECONDS).await();
    Waits.until(() -> nodeOf.size() == AGENTS ? true : null, Duration.ofSeconds(90));
    return out;
  }

  private void awaitAgents(Api api, List<FakeAgent> agents, boolean online, String node) {
    Waits.until(() -> agents.stream().allMatch(a -> {
      JsonObject j = api.get("/api/v1/agents/" + a.id()).json();
      return j.getBoolean("online") == online && (node == null || node.equals(j.getString("nodeId")));
    }) ? true : null, Duration.ofSeconds(120));
  }

  private JsonObject readiness(String host, int port) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject last = new JsonObject();
    while (System.nanoTime() < end) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port
          + "/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      last = new JsonObject(r.body());
      if (r.statusCode() == 503) {
        return last;
      }
      Thread.sleep(300);
    }
    return last;
  }

  /** {@code fleetcast_dispatch_refused_total} of the node at host:port. */
  /** The minority gateway's node table holds node-3 alone: the others' entries expired, node-3's announcements land. */
  private static boolean minoritySettled(Api minority) {
    JsonArray nodes = minority.get("/api/v1/cluster").json().getJsonArray("nodes", new JsonArray());
    return nodes.size() == 1 && "node-3".equals(nodes.getJsonObject(0).getString("id"));
  }

  /** Whether node-3 counts a refused dispatch within {@code wait}. */
  private boolean waitForRefusal(String host, int port, Duration wait) {
    try {
      Waits.until(() -> refusedDispatches(host, port) >= 1 ? true : null, wait);
      return true;
    } catch (AssertionError notSeen) {
      return false;
    }
  }

  /** A process's /metrics lines that start with {@code prefix}. */
  private static List<String> metrics(String host, int port, String prefix) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String body = client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(l -> l.startsWith(prefix)).toList();
  }

  /** Those lines as text, for a log or a failure message. */
  private static String metricLines(String host, int port, String prefix) {
    try {
      return metrics(host, port, prefix).toString();
    } catch (Exception e) {
      return "unreadable (" + e.getMessage() + ")";
    }
  }

  private double refusedDispatches(String host, int port) {
    try {
      return metrics(host, port, "fleetcast_dispatch_refused_total").stream()
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  private boolean upgradeRefused(String host, int port) {
    WebSocketClient ws = vertx.createWebSocketClient();
    try {
      ws.connect(port, host, "/agent/v1").timeout(20, TimeUnit.SECONDS).await();
      return false;
    } catch (Exception e) {
      log("partition.upgrade_refused", "error", String.valueOf(e.getMessage()).replace(' ', '_'));
      return String.valueOf(e.getMessage()).contains("503");
    } finally {
      ws.close();
    }
  }

  private boolean resultsOnce(String rollout) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", db.url().user());
    p.setProperty("password", db.url().password());
    try (Connection c = DriverManager.getConnection(db.url().jdbcUrl(), p); PreparedStatement st = c.prepareStatement(
        "SELECT count(*), count(DISTINCT agent_id) FROM results WHERE rollout_id = ?")) {
      st.setObject(1, UUID.fromString(rollout));
      ResultSet rs = st.executeQuery();
      rs.next();
      log("partition.results", "rows", rs.getInt(1), "agents", rs.getInt(2));
      return rs.getInt(1) == AGENTS && rs.getInt(2) == AGENTS;
    }
  }

  /** Drops everything between the namespaces but agent traffic to node-3 and node-3's Postgres relay. */
  private void cut(int agentPort, int apiPort, int relayPort) {
    PartitionTest.cut(nsA, nsB, List.of(agentPort, apiPort), relayPort);
    log("partition.cut");
  }

  private void heal() {
    PartitionTest.heal(nsA, nsB);
    log("partition.healed");
  }

  private void close() {
    processes.forEach(ServerProcess::close);
    if (vertx != null) {
      vertx.close().await();
    }
    if (db != null) {
      db.close();
    }
  }
}
