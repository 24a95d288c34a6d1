package io.fleetcast.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.ServerProcess;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The quick start as a new user runs it: {@code fleetcast standalone} in its own JVM with nothing
 * configured but a data directory and ports (embedded Postgres, generated admin token, default
 * cluster settings), then what an attacker on the same host and a crash do to it.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneServerTest {
  static final Path LOGS = Path.of("target", "standalone-logs");
  static Path dataDir;
  static Map<String, String> env;
  static ServerProcess server;
  static int pgPort;
  static Vertx vertx;
  static final List<Path> dataDirs = new java.util.ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    dataDir = Files.createTempDirectory("fc-standalone").resolve("fleetcast-data");
    pgPort = ServerProcess.freePort();
    env = standaloneEnv(dataDir, pgPort);
    server = ServerProcess.start("standalone", "standalone", Integer.parseInt(env.get("FLEETCAST_API_PORT")), env, LOGS)
        .awaitReady(Duration.ofSeconds(240));
    vertx = Vertx.vertx();
  }

  /** Only the data directory and ports: no pg.url, no admin token, no dev flag, no cluster settings. */
  static Map<String, String> standaloneEnv(Path dir, int pg) {
    dataDirs.add(dir);
    Map<String, String> e = new HashMap<>();
    e.put("FLEETCAST_DATA_DIR", dir.toString());
    e.put("FLEETCAST_API_PORT", String.valueOf(ServerProcess.freePort()));
    e.put("FLEETCAST_AGENT_PORT", String.valueOf(ServerProcess.freePort()));
    e.put("FLEETCAST_DEPOT_PORT", String.valueOf(ServerProcess.freePort()));
    e.put("FLEETCAST_PG_EMBEDDED_PORT", String.valueOf(pg));
    return e;
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
    if (server != null) {
      server.close();
    }
    // a failed run must not leave postmasters behind: SIGTERM is Postgres' smart shutdown
    for (Path d : dataDirs) {
      try {
        String pid = Files.readAllLines(d.resolve("postgres/postmaster.pid")).get(0).trim();
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroy);
      } catch (IOException | RuntimeException e) {
        // no pid file: stopped cleanly
      }
    }
  }

  static String apiUrl() {
    return "http://127.0.0.1:" + env.get("FLEETCAST_API_PORT");
  }

  static String adminToken() throws IOException {
    return Files.readString(dataDir.resolve("admin-token")).strip();
  }

  /** The generated admin token (0600 file) opens the API; an agent enrolls, connects and runs a rollout to completion. */
  @Test
  @Order(1)
  void quickStartWithGeneratedAdminToken() throws Exception {
    Path tokenFile = dataDir.resolve("admin-token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    assertThat(server.log()).contains(adminToken()).contains("Fleetcast is up.");
    Api api = new Api(apiUrl(), adminToken());
    assertThat(api.as(null).get("/api/v1/cluster").status()).isEqualTo(401);
    Api.Res cluster = api.get("/api/v1/cluster");
    assertThat(cluster.status()).isEqualTo(200);
    assertThat(cluster.json().getJsonArray("nodes")).hasSize(1);

    String enroll = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 1)
        .put("tags", new JsonArray().add("quickstart"))).json().getString("token");
    AgentLite agent = new AgentLite(vertx, new AgentOptions().stateDir(Files.createTempDirectory("qs-agent"))
        .gatewayUrl(apiUrl()).enrollmentToken(enroll).dev(true).factsProvider(StaticFactsProvider.loopback("qs"))
        .backoffBase(Duration.ofMillis(200)).backoffCap(Duration.ofSeconds(2)));
    agent.start().await();
    try {
      Waits.until(() -> api.get("/api/v1/agents?online=true").json().getJsonArray("items").size() == 1 ? true : null,
          Duration.ofSeconds(60));
      Api.Res created = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
          .put("tags", new JsonArray().add("quickstart"))));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      JsonObject done = Waits.rolloutState(api, created.json().getString("id"), Set.of("completed", "halted", "expired"),
          Duration.ofSeconds(90));
      assertThat(done.getString("state")).isEqualTo("completed");
      assertThat(done.getJsonObject("counts").getInteger("succeeded")).isEqualTo(1);
    } finally {
      agent.stop().await();
    }
  }

  /** A local user connecting to the embedded Postgres without the password is refused; with it gets in; binaries are private. */
  @Test
  @Order(2)
  void embeddedPostgresRequiresThePassword() throws Exception {
    assertThatThrownBy(() -> query(null)).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> query("postgres")).isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
    Path passwordFile = dataDir.resolve("postgres-password");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
    assertThat(query(Files.readString(passwordFile).strip())).isEqualTo(1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("postgres-binaries"))))
        .isEqualTo("rwx------");
  }

  static int query(String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    if (password != null) {
      p.setProperty("password", password);
    }
    try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", p);
        var rs = c.createStatement().executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** In dev mode the API and agent ports answer on 127.0.0.1 only: another address (127.0.0.2, still loopback) is refused. */
  @Test
  @Order(3)
  void bindsLoopbackOnly() throws IOException {
    for (String port : List.of(env.get("FLEETCAST_API_PORT"), env.get("FLEETCAST_AGENT_PORT"))) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 5000);
      }
      assertThatThrownBy(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.2", Integer.parseInt(port)), 5000);
        }
      }).as("port %s bound beyond 127.0.0.1", port).isInstanceOf(ConnectException.class);
    }
  }

  /**
   * A second server on the same data directory exits non-zero saying another Fleetcast runs there,
   * and a second installation (its own data directory) on the same host stays a cluster of its own.
   */
  @Test
  @Order(4)
  void secondServerOnTheHost() throws IOException {
    Map<String, String> sameDir = new HashMap<>(env);
    sameDir.put("FLEETCAST_API_PORT", String.valueOf(ServerProcess.freePort()));
    sameDir.put("FLEETCAST_AGENT_PORT", String.valueOf(ServerProcess.freePort()));
    sameDir.put("FLEETCAST_DEPOT_PORT", String.valueOf(ServerProcess.freePort()));
    sameDir.put("FLEETCAST_PG_EMBEDDED_PORT", String.valueOf(ServerProcess.freePort()));
    try (ServerProcess twin = ServerProcess.start("same-data-dir", "standalone",
        Integer.parseInt(sameDir.get("FLEETCAST_API_PORT")), sameDir, LOGS)) {
      assertThat(twin.awaitExit(Duration.ofSeconds(120))).isNotZero();
      assertThat(twin.log()).contains("another Fleetcast is running on this data directory (" + dataDir + ")")
          .doesNotContain("could not lock");
    }

    Map<String, String> otherEnv = standaloneEnv(Files.createTempDirectory("fc-standalone-2").resolve("data"),
        ServerProcess.freePort());
    try (ServerProcess other = ServerProcess.start("other-installation", "standalone",
        Integer.parseInt(otherEnv.get("FLEETCAST_API_PORT")), otherEnv, LOGS).awaitReady(Duration.ofSeconds(240))) {
      Api mine = new Api(apiUrl(), adminToken());
      Api theirs = new Api("http://127.0.0.1:" + otherEnv.get("FLEETCAST_API_PORT"),
          Files.readString(Path.of(otherEnv.get("FLEETCAST_DATA_DIR"), "admin-token")).strip());
      // both are up (joining happens during start, before ready): each is a cluster of one
      assertThat(theirs.get("/api/v1/cluster").json().getJsonArray("nodes")).hasSize(1);
      assertThat(mine.get("/api/v1/cluster").json().getJsonArray("nodes")).hasSize(1);
      assertThat(mine.get("/api/v1/cluster").status()).isEqualTo(200);
    }
  }

  /** kill -9 leaves the embedded postmaster running; the next start stops it and comes up by itself, same token, same data. */
  @Test
  @Order(5)
  void restartAfterKill9ComesUp() throws IOException {
    String token = adminToken();
    Api api = new Api(apiUrl(), token);
    int rollouts = api.get("/api/v1/rollouts").json().getJsonArray("items").size();
    server.kill9();

    server = ServerProcess.start("standalone-restarted", "standalone", Integer.parseInt(env.get("FLEETCAST_API_PORT")),
        env, LOGS).awaitReady(Duration.ofSeconds(240));
    assertThat(server.log()).contains("embedded_pg.stale_postmaster");
    assertThat(api.get("/api/v1/rollouts").json().getJsonArray("items")).hasSize(rollouts);
    assertThat(adminToken()).isEqualTo(token);
  }
}
