package io.fleetcast.gateway.testing;

import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.common.testing.TestClusterConfig;
import io.fleetcast.common.testing.TestDatabase;
import io.fleetcast.gateway.app.ProcessRole;
import io.fleetcast.gateway.app.ServerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A real standalone server (gateway + node on a one-member Hazelcast cluster) on loopback,
 * with its own database, for end-to-end tests.
 */
public final class TestServer implements AutoCloseable {
  private final TestDatabase db;
  private final ServerRuntime runtime;
  private final String adminToken;
  private final Map<String, Object> cluster;

  private TestServer(TestDatabase db, ServerRuntime runtime, String adminToken, Map<String, Object> cluster) {
    this.db = db;
    this.runtime = runtime;
    this.adminToken = adminToken;
    this.cluster = cluster;
  }

  public static TestServer start() {
    return start(Map.of());
  }

  public static TestServer start(Map<String, Object> extra) {
    TestDatabase db = TestDatabase.create();
    try {
      Path data = Files.createTempDirectory("fleetcast-test-data");
      String token = "fct_test_" + UUID.randomUUID().toString().replace("-", "");
      Map<String, Object> cluster = TestClusterConfig.cluster();
      // every gateway of a cluster signs with the same key
      Path key = data.resolve("signing-ed25519.pem");
      io.fleetcast.gateway.rollout.TaskSigner.load(key, true, null);
      cluster.put("signing.keyFile", key.toString());
      Map<String, Object> m = new HashMap<>();
      m.put("pg.url", db.url().toString());
      m.put("dataDir", data.toString());
      m.put("adminToken", token);
      m.put("pg.poolSize", 4);
      m.put("rollouts.tickMillis", 300);
      m.put("api.rateLimitPerSecond", 10_000);
      // many tests send wrong credentials on purpose; SecurityApiConnectionsTest tests the throttle on its own server
      m.put("api.authFailuresPerMinute", 1_000_000);
      m.put("api.authFailureBurst", 1_000_000);
      m.putAll(extra);
      FleetcastConfig cfg = TestClusterConfig.config(cluster, m);
      ServerRuntime rt = new ServerRuntime(cfg).start(ProcessRole.STANDALONE);
      return new TestServer(db, rt, token, cluster);
    } catch (IOException e) {
      db.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** A member of the same cluster and database in the given role. */
  public ServerRuntime startRole(ProcessRole role, Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>();
    m.put("pg.url", db.url().toString());
    m.put("pg.poolSize", 4);
    try {
      m.put("dataDir", Files.createTempDirectory("fleetcast-test-" + role.wireName()).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    m.putAll(extra);
    return new ServerRuntime(TestClusterConfig.config(cluster, m)).start(role);
  }

  /** Another member of the same cluster and database: a node, a gateway, or both. */
  public ServerRuntime startMember(boolean gateway, boolean node, Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>();
    m.put("pg.url", db.url().toString());
    m.put("adminToken", adminToken);
    m.put("pg.poolSize", 4);
    m.put("rollouts.tickMillis", 300);
    m.put("api.rateLimitPerSecond", 10_000);
    m.put("api.authFailuresPerMinute", 1_000_000);
    m.put("api.authFailureBurst", 1_000_000);
    try {
      m.put("dataDir", Files.createTempDirectory("fleetcast-test-data").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    m.putAll(extra);
    return new ServerRuntime(TestClusterConfig.config(cluster, m)).start(gateway ? ProcessRole.GATEWAY : ProcessRole.NODE);
  }

  public ServerRuntime runtime() {
    return runtime;
  }

  public TestDatabase db() {
    return db;
  }

  public String adminToken() {
    return adminToken;
  }

  public int apiPort() {
    return runtime.gateway().port();
  }

  public int agentPort() {
    return runtime.node().port();
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + apiPort();
  }

  public String agentUrl() {
    return "ws://127.0.0.1:" + agentPort() + "/agent/v1";
  }

  public Map<String, Object> clusterSettings() {
    return cluster;
  }

  @Override
  public void close() {
    try {
      runtime.close();
    } finally {
      db.close();
    }
  }
}
