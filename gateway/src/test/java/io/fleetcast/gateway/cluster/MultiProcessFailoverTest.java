package io.fleetcast.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentListener;
import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.common.testing.TestClusterConfig;
import io.fleetcast.common.testing.TestDatabase;
import io.fleetcast.gateway.rollout.TaskSigner;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.ServerProcess;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Separate JVMs on 127.0.0.1: two gateways and three nodes, 600 real agents. Mid-rollout one
 * node and the gateway driving the rollout are killed with SIGKILL. Every target must still end
 * in exactly one terminal state with one result row, no agent may run the task twice, and the
 * dead node's agents must be back within 30 s.
 */
@Timeout(300)
class MultiProcessFailoverTest {
  private static final Logger LOG = Logger.getLogger(MultiProcessFailoverTest.class.getName());
  static final int AGENTS = 600;

  static TestDatabase db;
  static Vertx vertx;
  static final List<ServerProcess> processes = new ArrayList<>();
  static ServerProcess gw1;
  static ServerProcess gw2;
  static final List<ServerProcess> nodes = new ArrayList<>();
  static String adminToken = "fct_mp_" + UUID.randomUUID().toString().replace("-", "");

  @BeforeAll
  static void startCluster() throws Exception {
    db = TestDatabase.create();
    vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(40));
    Path dir = Files.createTempDirectory("fleetcast-mp");
    Path key = dir.resolve("signing.pem");
    TaskSigner.load(key, true, null);
    Map<String, Object> cluster = TestClusterConfig.cluster();
    Map<String, String> env = new HashMap<>();
    env.put("FLEETCAST_DEV", "true");
    env.put("FLEETCAST_PG_URL", db.url().toString());
    env.put("FLEETCAST_PG_POOL_SIZE", "8");
    env.put("FLEETCAST_ADMIN_TOKEN", adminToken);
    env.put("FLEETCAST_SIGNING_KEY_FILE", key.toString());
    env.put("FLEETCAST_CLUSTER_NAME", (String) cluster.get("cluster.name"));
    env.put("FLEETCAST_CLUSTER_PORT", String.valueOf(cluster.get("cluster.port")));
    env.put("FLEETCAST_CLUSTER_MEMBERS", (String) cluster.get("cluster.members"));
    env.put("FLEETCAST_CLUSTER_HOST", "127.0.0.1");
    env.put("FLEETCAST_CLUSTER_EVENT_BUS_HOST", "127.0.0.1");
    env.put("FLEETCAST_CLUSTER_HEARTBEAT_SECONDS", "1");
    env.put("FLEETCAST_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "6");
    env.put("FLEETCAST_API_HOST", "127.0.0.1");
    env.put("FLEETCAST_AGENT_HOST", "127.0.0.1");
    env.put("FLEETCAST_ROLLOUTS_TICK_MILLIS", "500");
    env.put("FLEETCAST_ROLLOUTS_LEASE_SECONDS", "5");
    env.put("FLEETCAST_ROLLOUTS_REDISPATCH_SECONDS", "4");
    env.put("FLEETCAST_NODE_SEND_TIMEOUT_MILLIS", "3000");
    env.put("FLEETCAST_API_RATE_LIMIT_PER_SECOND", "100000");
    env.put("FLEETCAST_LOG_LEVEL", "INFO");
    Path logs = Path.of("target", "multiprocess-logs");
    gw1 = launch("gateway-1", "gateway", env, dir, logs, Map.of());
    for (int i = 1; i <= 3; i++) {
      nodes.add(launch("node-" + i, "node", env, dir, logs, Map.of("FLEETCAST_NODE_ID", "node-" + i)));
    }
    gw2 = launch("gateway-2", "gateway", env, dir, logs, Map.of());
    for (ServerProcess p : processes) {
      p.awaitReady(Duration.ofSeconds(120));
    }
  }

  static ServerProcess launch(String name, String role, Map<String, String> env, Path dir, Path logs,
      Map<String, String> extra) {
    int port = ServerProcess.freePort();
    Map<String, String> e = new HashMap<>(env);
    e.putAll(extra);
    e.put("FLEETCAST_DATA_DIR", dir.resolve(name).toString());
    e.put(role.equals("gateway") ? "FLEETCAST_API_PORT" : "FLEETCAST_AGENT_PORT", String.valueOf(port));
    e.put(role.equals("gateway") ? "FLEETCAST_AGENT_PORT" : "FLEETCAST_API_PORT", String.valueOf(ServerProcess.freePort()));
    e.put("FLEETCAST_DEPOT_PORT", String.valueOf(ServerProcess.freePort()));
    ServerProcess p = ServerProcess.start(name, role, port, e, logs);
    processes.add(p);
    return p;
  }

  @AfterAll
  static void stopCluster() {
    if (vertx != null) {
      vertx.close().await();
    }
    processes.forEach(ServerProcess::close);
    if (db != null) {
      db.close();
    }
  }

  @Test
  void nodeAndGatewayCrashMidRolloutLoseNothing() throws Exception {
    Api api1 = new Api("http://127.0.0.1:" + gw1.port(), adminToken);
    Api api2 = new Api("http://127.0.0.1:" + gw2.port(), adminToken);
    Waits.until(() -> api2.get("/api/v1/cluster").json().getJsonArray("nodes").size() == 3 ? true : null,
        Duration.ofSeconds(30));

    // GIVEN 600 agents spread across the three nodes
    String token = api2.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", AGENTS)).json().getString("token");
    Path states = Files.createTempDirectory("mp-agents");
    Map<String, String> nodeOf = new ConcurrentHashMap<>();
    Map<String, Long> reconnectedAt = new ConcurrentHashMap<>();
    long[] killedAt = {Long.MAX_VALUE};
    List<AgentLite> agents = new ArrayList<>();
    List<Future<Void>> starts = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      AgentLite a = new AgentLite(vertx, new AgentOptions().stateDir(states.resolve("a" + i))
          .gatewayUrl("http://127.0.0.1:" + gw2.port()).enrollmentToken(token).dev(true)
          .factsProvider(StaticFactsProvider.loopback("mp" + i)).backoffBase(Duration.ofMillis(500))
          .backoffCap(Duration.ofSeconds(8)));
      AgentLite self = a;
      a.addListener(new AgentListener() {
        @Override
        public void onConnected(String nodeUrl, String nodeId) {
          String before = nodeOf.put(self.agentId(), nodeId);
          if (System.nanoTime() > killedAt[0] && "node-2".equals(before)) {
            reconnectedAt.putIfAbsent(self.agentId(), System.nanoTime());
          }
        }
      });
      agents.add(a);
      starts.add(a.start());
      if (starts.size() == 100) {
        // a fleet enrolls over time, not in one instant: 100 at a time keeps this test about failover
        Future.all(starts).timeout(90, TimeUnit.SECONDS).await();
        starts.clear();
      }
    }
    Future.all(starts).timeout(90, TimeUnit.SECONDS).await();
    Waits.until(() -> nodeOf.size() == AGENTS ? true : null, Duration.ofSeconds(90));
    Map<String, Long> perNode = new HashMap<>();
    nodeOf.values().forEach(n -> perNode.merge(n, 1L, Long::sum));
    LOG.info("event=mp.spread " + perNode);
    assertThat(perNode).hasSize(3);
    perNode.values().forEach(n -> assertThat(n).as("agents per node").isGreaterThan(AGENTS / 10));

    // WHEN a rollout to all runs, and mid-way node-2 and the driving gateway are killed
    JsonObject body = new JsonObject().put("name", "failover")
        .put("steps", new JsonArray().add(new JsonObject().put("kind", "exec").put("spec", new JsonObject()
            .put("command", "sleep").put("args", new JsonArray().add("0.3")))))
        .put("targets", new JsonObject().put("all", true))
        .put("strategy", new JsonObject().put("maxInFlight", 120));
    Api.Res created = api1.post("/api/v1/rollouts", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    Waits.until(() -> api2.get("/api/v1/rollouts/" + id).json().getJsonObject("counts").getInteger("succeeded", 0) >= 100
        ? true : null, Duration.ofSeconds(60));
    List<String> onNode2 = nodeOf.entrySet().stream().filter(e -> e.getValue().equals("node-2")).map(Map.Entry::getKey)
        .toList();
    killedAt[0] = System.nanoTime();
    nodes.get(1).kill9();
    gw1.kill9();
    LOG.info("event=mp.killed node=node-2 agentsOnIt=" + onNode2.size());

    // THEN the other gateway takes the rollout over and it completes
    JsonObject done = Waits.rolloutState(api2, id, Set.of("completed", "expired", "halted"), Duration.ofSeconds(150));
    assertThat(done.getString("state")).isEqualTo("completed");
    assertThat(done.getJsonObject("counts").getInteger("succeeded")).isEqualTo(AGENTS);

    // AND every one of the dead node's agents came back (how fast is logged, not asserted: the 30 s
    // target is measured by load-tests' reconnect scenario, not on a shared CI machine)
    Waits.until(() -> onNode2.stream().allMatch(reconnectedAt::containsKey) ? true : null, Duration.ofSeconds(120));
    long slowestMs = onNode2.stream().mapToLong(a -> (reconnectedAt.get(a) - killedAt[0]) / 1_000_000).max().orElse(0);
    List<Long> sorted = onNode2.stream().map(a -> (reconnectedAt.get(a) - killedAt[0]) / 1_000_000).sorted().toList();
    long p99 = sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1));
    LOG.info("event=mp.reconnected agents=" + onNode2.size() + " p99Ms=" + p99 + " maxMs=" + slowestMs);

    // AND exactly one result row and one terminal state per target, and no task ran twice
    try (Connection c = jdbc(); PreparedStatement st = c.prepareStatement(
        "SELECT count(*), count(DISTINCT agent_id) FROM results WHERE rollout_id = ?")) {
      st.setObject(1, UUID.fromString(id));
      ResultSet rs = st.executeQuery();
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(AGENTS);
      assertThat(rs.getInt(2)).isEqualTo(AGENTS);
    }
    for (AgentLite a : agents) {
      assertThat(a.executedTaskIds()).as("agent %s ran the task once", a.agentId()).hasSize(1);
    }
    Future.join(agents.stream().map(AgentLite::stop).toList()).timeout(60, TimeUnit.SECONDS).await();
  }

  static Connection jdbc() throws Exception {
    Properties p = new Properties();
    p.setProperty("user", db.url().user());
    p.setProperty("password", db.url().password());
    return DriverManager.getConnection(db.url().jdbcUrl(), p);
  }
}
