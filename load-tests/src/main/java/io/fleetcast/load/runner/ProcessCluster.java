package io.fleetcast.load.runner;

import io.fleetcast.common.db.PgUrl;
import io.fleetcast.common.log.Kv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * A real cluster on this machine: one {@code gateway} JVM and N {@code node} JVMs from the
 * server jar, a unique Hazelcast cluster name and port range, and the run's own database.
 * {@link #close()} stops them all and drops the database.
 */
public final class ProcessCluster implements ClusterHandle {
  private static final Logger LOG = Logger.getLogger(ProcessCluster.class.getName());

  private final ClusterOptions options;
  private final String adminToken = "fct_load_" + UUID.randomUUID().toString().replace("-", "");
  private final List<ServerProcess> nodeProcesses = new ArrayList<>();
  private final List<NodeHandle> nodes = new ArrayList<>();
  private Database database;
  private ServerProcess gateway;

  private ProcessCluster(ClusterOptions options) {
    this.options = options;
  }

  /** Starts database, gateway and nodes; on any failure stops what was started and rethrows. */
  public static ProcessCluster start(ClusterOptions options) {
    ProcessCluster c = new ProcessCluster(options);
    try {
      c.boot();
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void boot() {
    Path jar = copyJar();
    database = Database.create(options.pgUrl(), jar, options.runDir(), options.maxSeconds(),
        options.logStatementsMillis());
    Map<String, String> common = new HashMap<>();
    common.put("FLEETCAST_DEV", "true");
    common.put("FLEETCAST_PG_URL", database.url().toString());
    common.put("FLEETCAST_CLUSTER_NAME", "fcload-" + UUID.randomUUID().toString().substring(0, 8));
    common.put("FLEETCAST_CLUSTER_HOST", "127.0.0.1");
    common.put("FLEETCAST_CLUSTER_EVENT_BUS_HOST", "127.0.0.1");
    common.put("FLEETCAST_CLUSTER_PORT", String.valueOf(options.clusterPort()));
    common.put("FLEETCAST_CLUSTER_MEMBERS", "127.0.0.1:" + options.clusterPort() + "-" + (options.clusterPort() + 19));
    common.put("FLEETCAST_API_HOST", "127.0.0.1");
    common.put("FLEETCAST_AGENT_HOST", "127.0.0.1");

    Map<String, String> gw = new HashMap<>(common);
    gw.put("FLEETCAST_API_PORT", String.valueOf(options.apiPort()));
    gw.put("FLEETCAST_ADMIN_TOKEN", adminToken);
    gw.put("FLEETCAST_DATA_DIR", dir("gateway").toString());
    // the coordinator polls; the per-token API limit protects real deployments, not this run
    gw.put("FLEETCAST_API_RATE_LIMIT_PER_SECOND", "100000");
    gw.putAll(options.gatewayEnv());
    gateway = ServerProcess.start("gateway", jar, "gateway", options.gatewayJvm(), gw, options.runDir(),
        options.maxSeconds());
    gateway.awaitReady(apiUrl() + "/health/ready", Duration.ofSeconds(120));

    for (int i = 0; i < options.nodes(); i++) {
      Map<String, String> env = new HashMap<>(common);
      int port = options.agentPort() + i;
      env.put("FLEETCAST_AGENT_PORT", String.valueOf(port));
      env.put("FLEETCAST_DEPOT_PORT", String.valueOf(options.agentPort() + 100 + i));
      env.put("FLEETCAST_NODE_ID", "node-" + i);
      env.put("FLEETCAST_DATA_DIR", dir("node-" + i).toString());
      env.putAll(options.nodeEnv());
      nodeProcesses.add(ServerProcess.start("node-" + i, jar, "node", options.nodeJvm(), env, options.runDir(),
          options.maxSeconds()));
    }
    for (int i = 0; i < nodeProcesses.size(); i++) {
      ServerProcess p = nodeProcesses.get(i);
      String base = "http://127.0.0.1:" + (options.agentPort() + i);
      p.awaitReady(base + "/health/ready", Duration.ofSeconds(180));
      nodes.add(new NodeHandle("node-" + i, "ws://127.0.0.1:" + (options.agentPort() + i) + "/agent/v1", base,
          p.javaPid()));
    }
    LOG.info(Kv.event("cluster.ready", "api", apiUrl(), "nodes", nodes.size(), "db", database.url().redacted(),
        "embeddedPg", database.embedded()));
  }

  /** Others rebuild the server jar while we run: every run uses its own copy. */
  private Path copyJar() {
    try {
      Files.createDirectories(options.runDir());
      Path copy = options.runDir().resolve("fleetcast.jar");
      Files.copy(options.serverJar(), copy, StandardCopyOption.REPLACE_EXISTING);
      return copy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy the server jar " + options.serverJar() + ": " + e.getMessage(), e);
    }
  }

  private Path dir(String name) {
    try {
      return Files.createDirectories(options.runDir().resolve(name));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String apiUrl() {
    return "http://127.0.0.1:" + options.apiPort();
  }

  @Override
  public String adminToken() {
    return adminToken;
  }

  @Override
  public PgUrl pg() {
    return database.url();
  }

  @Override
  public List<NodeHandle> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public long gatewayPid() {
    return gateway == null ? 0 : gateway.javaPid();
  }

  @Override
  public java.util.concurrent.CompletableFuture<Long> kill(int node) {
    return nodeProcesses.get(node).kill9();
  }

  /** Log file of a process of this run, for reports. */
  public Path runDir() {
    return options.runDir();
  }

  @Override
  public void close() {
    List<ServerProcess> all = new ArrayList<>(nodeProcesses);
    if (gateway != null) {
      all.add(gateway);
    }
    all.forEach(ServerProcess::terminate);
    all.forEach(p -> p.awaitExit(Duration.ofSeconds(15)));
    if (database != null) {
      database.close();
    }
    try {
      // the logs stay for inspection; the 50 MB jar copy does not
      Files.deleteIfExists(options.runDir().resolve("fleetcast.jar"));
    } catch (IOException e) {
      // best-effort
    }
    LOG.info(Kv.event("cluster.stopped", "runDir", options.runDir()));
  }
}
