package io.fleetcast.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.fleetcast.common.cluster.HazelcastSettings;
import io.fleetcast.common.location.LocationCodec;
import io.fleetcast.common.cluster.LiveNodes;
import io.fleetcast.gateway.app.ServerRuntime;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Presence stays true to the cluster membership, with several members in one JVM: a dead node's
 * agents are purged and marked offline (also when its member UUID is unknown to the member -> node
 * map, as after a merge), a node re-asserts what the other side took away, and a wave never
 * waits on an agent no live node holds.
 */
@Timeout(240)
class PresenceMembershipTest {
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

  static Connection jdbc() throws Exception {
    Properties p = new Properties();
    p.setProperty("user", server.db().url().user());
    p.setProperty("password", server.db().url().password());
    return DriverManager.getConnection(server.db().url().jdbcUrl(), p);
  }

  static void sql(String statement, Object... args) {
    try (Connection c = jdbc(); PreparedStatement st = c.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      st.executeUpdate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject agent(String id) {
    return api.get("/api/v1/agents/" + id).json();
  }

  static HazelcastInstance hazelcastOf(String nodeId) {
    for (HazelcastInstance hz : Hazelcast.getAllHazelcastInstances()) {
      if (hz.getLifecycleService().isRunning() && nodeId.equals(LiveNodes.nodeOf(hz.getCluster().getLocalMember()))) {
        return hz;
      }
    }
    throw new IllegalStateException("no Hazelcast member runs node " + nodeId);
  }

  static HazelcastInstance gatewayHazelcast() {
    return hazelcastOf(server.runtime().node().nodeId());
  }

  static String url(ServerRuntime member) {
    return "ws://127.0.0.1:" + member.node().port() + "/agent/v1";
  }

  static List<FakeAgent> connect(int n, String tag, String url) {
    List<FakeAgent> out = new ArrayList<>();
    for (JsonObject e : api.enroll(n, tag)) {
      FakeAgent a = FakeAgent.fromEnrollment(vertx, e);
      a.connect(url).await();
      out.add(a);
    }
    return out;
  }

  static void awaitOnline(List<FakeAgent> agents, String node, boolean online) {
    Waits.until(() -> agents.stream().allMatch(a -> {
      JsonObject j = agent(a.id());
      return j.getBoolean("online") == online && (!online || node.equals(j.getString("nodeId")));
    }) ? true : null, Duration.ofSeconds(60));
  }

  /** Closes a member whose Hazelcast was terminated without waiting forever on its cluster leave. */
  static void closeQuietly(ServerRuntime member) {
    Thread t = new Thread(member::close, "close-member");
    t.setDaemon(true);
    t.start();
    try {
      t.join(20_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A node dies (its Hazelcast member vanishes, its sockets stay open): its agents' location
   * entries are purged and they are marked offline. The member -> node map has no entry for it,
   * as after a merge gave it a new member UUID: the node id comes from the member attribute.
   */
  @Test
  void aDeadNodesLocationsArePurgedAndItsAgentsMarkedOffline() {
    // GIVEN three agents on node-dead, seen online there
    ServerRuntime dead = server.startMember(false, true, Map.of("node.id", "node-dead"));
    List<FakeAgent> agents = connect(3, "dead", url(dead));
    awaitOnline(agents, "node-dead", true);
    HazelcastInstance gw = gatewayHazelcast();
    Waits.until(() -> agents.stream().allMatch(a -> gw.getMap(HazelcastSettings.LOCATIONS_MAP).containsKey(LocationCodec.key(a.id())))
        ? true : null, Duration.ofSeconds(30));
    HazelcastInstance deadHz = hazelcastOf("node-dead");
    gw.getMap(HazelcastSettings.MEMBER_NODES_MAP).remove(deadHz.getCluster().getLocalMember().getUuid().toString());

    // WHEN its member dies
    deadHz.getLifecycleService().terminate();

    // THEN the survivors purge its locations and mark its agents offline
    Waits.until(() -> agents.stream().noneMatch(a -> gw.getMap(HazelcastSettings.LOCATIONS_MAP).containsKey(LocationCodec.key(a.id())))
        ? true : null, Duration.ofSeconds(90));
    awaitOnline(agents, "node-dead", false);
    agents.forEach(FakeAgent::close);
    closeQuietly(dead);
  }

  /**
   * While a node was cut off the other side marked its agents offline and purged their locations;
   * when the membership changes again the node puts back what it really holds (presence and
   * locations), and a rollout reaches its agents without anyone reconnecting.
   */
  @Test
  void aNodeReassertsPresenceTheOtherSideTookAway() {
    // GIVEN two agents on node-back, connected throughout
    ServerRuntime back = server.startMember(false, true, Map.of("node.id", "node-back"));
    List<FakeAgent> agents = connect(2, "back", url(back));
    awaitOnline(agents, "node-back", true);
    HazelcastInstance gw = gatewayHazelcast();

    // AND the majority did what it does when a node is cut off: offline in Postgres, locations gone
    sql("UPDATE agents SET online = false WHERE node_id = 'node-back'");
    agents.forEach(a -> gw.getMap(HazelcastSettings.LOCATIONS_MAP).remove(LocationCodec.key(a.id())));
    awaitOnline(agents, "node-back", false);

    // WHEN the membership changes (a member joins, as the cut-off node's side does at a merge)
    ServerRuntime joiner = server.startMember(false, true, Map.of("node.id", "node-joiner"));
    try {
      // THEN node-back's agents are online there again and routable
      awaitOnline(agents, "node-back", true);
      Waits.until(() -> agents.stream().allMatch(a -> gw.getMap(HazelcastSettings.LOCATIONS_MAP).containsKey(LocationCodec.key(a.id())))
          ? true : null, Duration.ofSeconds(30));
      String id = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
          .put("tags", new JsonArray().add("back")))).json().getString("id");
      JsonObject r = Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(60));
      assertThat(r.getJsonObject("counts").getInteger("succeeded")).isEqualTo(2);
      agents.forEach(a -> assertThat(a.tasks()).hasSize(1));
    } finally {
      agents.forEach(FakeAgent::close);
      joiner.close();
      back.close();
    }
  }

  /**
   * After a restart, rows still say "online" on a node that no longer exists: a wave rollout
   * neither picks those agents first nor waits on them; the really connected agent gets the task,
   * and the stale rows are then swept offline.
   */
  @Test
  void aWaveNeverWaitsOnAnAgentNoLiveNodeHolds() {
    // GIVEN nine enrolled agents whose rows say online on a node from before the restart
    List<JsonObject> ghosts = api.enroll(9, "ghost");
    for (JsonObject g : ghosts) {
      sql("UPDATE agents SET online = true, node_id = 'node-before-restart', last_seen = now() WHERE id = ?",
          UUID.fromString(g.getString("agentId")));
    }
    // AND one agent of the same tag really connected
    JsonObject real = api.enroll(1, "ghost").get(0);
    FakeAgent live = FakeAgent.fromEnrollment(vertx, real);
    live.connect(server.agentUrl()).await();
    awaitOnline(List.of(live), server.runtime().node().nodeId(), true);

    // WHEN a rollout goes out in waves of 10 % then the rest
    JsonObject spec = Waits.execRollout(new JsonObject().put("tags", new JsonArray().add("ghost")));
    spec.put("strategy", new JsonObject().put("waves", new JsonArray().add(10).add(100)));
    String id = api.post("/api/v1/rollouts", spec).json().getString("id");

    // THEN the connected agent runs it (whichever wave it fell in)
    Waits.until(() -> {
      JsonArray items = api.get("/api/v1/rollouts/" + id + "/targets?state=succeeded").json().getJsonArray("items");
      return items.size() == 1 && live.id().equals(items.getJsonObject(0).getString("agentId")) ? true : null;
    }, Duration.ofSeconds(60));
    assertThat(live.tasks()).hasSize(1);

    // AND the rows naming the departed node are swept offline
    Waits.until(() -> ghosts.stream().noneMatch(g -> agent(g.getString("agentId")).getBoolean("online")) ? true : null,
        Duration.ofSeconds(90));
    api.post("/api/v1/rollouts/" + id + "/cancel", new JsonObject());
    live.close();
  }
}
