package io.fleetcast.load.scenario;

import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.common.db.PgUrl;
import io.fleetcast.common.testing.TestClusterConfig;
import io.fleetcast.common.testing.TestDatabase;
import io.fleetcast.gateway.app.ProcessRole;
import io.fleetcast.gateway.app.ServerRuntime;
import io.fleetcast.load.runner.ClusterHandle;
import io.fleetcast.load.runner.NodeHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real gateway + node in this JVM on a one-member cluster, with its own database (the
 * Postgres on 127.0.0.1:5432 when it answers, else an embedded one): the CI smoke's cluster,
 * started in seconds.
 */
final class InProcessCluster implements ClusterHandle {
  private final TestDatabase db;
  private final ServerRuntime runtime;
  private final String token;

  private InProcessCluster(TestDatabase db, ServerRuntime runtime, String token) {
    this.db = db;
    this.runtime = runtime;
    this.token = token;
  }

  static InProcessCluster start() {
    TestDatabase db = TestDatabase.create();
    try {
      String token = "fct_smoke_" + UUID.randomUUID().toString().replace("-", "");
      Map<String, Object> m = new HashMap<>();
      m.put("pg.url", db.url().toString());
      m.put("dataDir", Files.createTempDirectory("fleetcast-load-smoke").toString());
      m.put("adminToken", token);
      m.put("api.rateLimitPerSecond", 100_000);
      FleetcastConfig cfg = TestClusterConfig.config(TestClusterConfig.cluster(), m);
      return new InProcessCluster(db, new ServerRuntime(cfg).start(ProcessRole.STANDALONE), token);
    } catch (IOException e) {
      db.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  @Override
  public String apiUrl() {
    return "http://127.0.0.1:" + runtime.gateway().port();
  }

  @Override
  public String adminToken() {
    return token;
  }

  @Override
  public PgUrl pg() {
    return db.url();
  }

  @Override
  public List<NodeHandle> nodes() {
    int port = runtime.node().port();
    return List.of(new NodeHandle(runtime.node().nodeId(), "ws://127.0.0.1:" + port + "/agent/v1",
        "http://127.0.0.1:" + port, ProcessHandle.current().pid()));
  }

  @Override
  public long gatewayPid() {
    return 0;
  }

  @Override
  public java.util.concurrent.CompletableFuture<Long> kill(int node) {
    throw new UnsupportedOperationException("an in-process node cannot be killed");
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
