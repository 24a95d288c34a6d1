package io.fleetcast.load.scenario;

import io.fleetcast.load.runner.ClusterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every scenario shares: the fleet, the cluster to start, the generator processes. */
public final class CommonOptions {
  @Option(names = "--agents", defaultValue = "10000", description = "Simulated agents (default ${DEFAULT-VALUE}).")
  public int agents;

  @Option(names = "--nodes", defaultValue = "1", description = "Cluster node processes (default ${DEFAULT-VALUE}).")
  public int nodes;

  @Option(names = "--generators", defaultValue = "0",
      description = "Generator processes (0 = one per 15,000 agents; a process may hold at most ~19,000 sockets).")
  public int generators;

  @Option(names = "--server-jar", description = "Server jar (default: gateway/target/fleetcast.jar, found from here).")
  public Path serverJar;

  @Option(names = "--pg-url", description = "Postgres server to create the run's database on "
      + "(default: 127.0.0.1:5432 if it answers, else an embedded one).")
  public String pgUrl;

  @Option(names = "--api-port", defaultValue = "28080", description = "Gateway API port (default ${DEFAULT-VALUE}).")
  public int apiPort;

  @Option(names = "--agent-port", defaultValue = "28081", description = "First node's agent port (default ${DEFAULT-VALUE}).")
  public int agentPort;

  @Option(names = "--cluster-port", defaultValue = "28701",
      description = "First Hazelcast port; members are port..port+19 (default ${DEFAULT-VALUE}).")
  public int clusterPort;

  @Option(names = "--floor-port", defaultValue = "29081", description = "First floor server port (default ${DEFAULT-VALUE}).")
  public int floorPort;

  @Option(names = "--sources", defaultValue = "127.0.0.10-127.0.0.250",
      description = "Local source addresses of client sockets (default ${DEFAULT-VALUE}).")
  public String sources;

  @Option(names = "--node-heap", defaultValue = "1g", description = "-Xmx of each node (default ${DEFAULT-VALUE}).")
  public String nodeHeap;

  @Option(names = "--gateway-heap", defaultValue = "1g", description = "-Xmx of the gateway (default ${DEFAULT-VALUE}).")
  public String gatewayHeap;

  @Option(names = "--generator-heap", defaultValue = "1g", description = "-Xmx of each generator (default ${DEFAULT-VALUE}).")
  public String generatorHeap;

  @Option(names = "--generator-threads", defaultValue = "2",
      description = "Netty event loops per generator process (default ${DEFAULT-VALUE}).")
  public int generatorThreads;

  @Option(names = "--ack-grace-ms", defaultValue = "200",
      description = "Simulated agents report a task finishing within this time by its result alone, as agent-lite's "
          + "--ack-grace does; 0 acks every task at once (default ${DEFAULT-VALUE}).")
  public int ackGraceMillis;

  @Option(names = "--node-jvm", description = "Extra JVM option of the nodes, e.g. -XX:StartFlightRecording=... (repeatable).")
  public List<String> nodeJvmExtra = new java.util.ArrayList<>();

  @Option(names = "--gateway-jvm", description = "Extra JVM option of the gateway (repeatable).")
  public List<String> gatewayJvmExtra = new java.util.ArrayList<>();

  @Option(names = "--generator-jvm", description = "Extra JVM option of the generator processes, e.g. "
      + "-XX:StartFlightRecording=filename=gen.jfr (each writes in its own directory of the run; repeatable).")
  public List<String> generatorJvmExtra = new java.util.ArrayList<>();

  @Option(names = "--node-env", description = "Extra node setting, e.g. FLEETCAST_RESULTS_BATCH_ROWS=2000 (repeatable).")
  public Map<String, String> nodeEnv = new LinkedHashMap<>();

  @Option(names = "--gateway-env", description = "Extra gateway setting (repeatable).")
  public Map<String, String> gatewayEnv = new LinkedHashMap<>();

  @Option(names = "--enroll", description = "Enroll every agent through POST /api/v1/enroll instead of pre-provisioning.")
  public boolean enroll;

  @Option(names = "--connect-rate", defaultValue = "0",
      description = "New connections per second per generator (0 = as fast as the handshake window allows).")
  public double connectRate;

  @Option(names = "--max-handshakes", defaultValue = "500",
      description = "Open handshakes per generator at a time (default ${DEFAULT-VALUE}).")
  public int maxHandshakes;

  @Option(names = "--results-dir", description = "Where the JSON report goes (default: load-tests/results).")
  public Path resultsDir;

  @Option(names = "--max-minutes", defaultValue = "30",
      description = "Hard lifetime of every process of the run (default ${DEFAULT-VALUE}).")
  public int maxMinutes;

  @Option(names = "--pg-log-statements-ms", defaultValue = "-1",
      description = "Profiling: Postgres logs this run's statements slower than this many ms (default off).")
  public int pgLogStatementsMillis;

  @Option(names = "--seed", defaultValue = "0", description = "Agent id seed (0 = random).")
  public long seed;

  public int generatorCount() {
    return generators > 0 ? generators : Math.max(1, (agents + 14_999) / 15_000);
  }

  public long seed() {
    if (seed == 0) {
      seed = System.nanoTime() ^ ProcessHandle.current().pid();
    }
    return seed;
  }

  public Path runDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "fleetcast-load", "run-" + Instant.now().toEpochMilli());
  }

  public Path resultsDir() {
    if (resultsDir != null) {
      return resultsDir;
    }
    return Files.isDirectory(Path.of("load-tests")) ? Path.of("load-tests", "results") : Path.of("results");
  }

  Path serverJar() {
    if (serverJar != null) {
      return serverJar;
    }
    for (Path p : List.of(Path.of("gateway/target/fleetcast.jar"), Path.of("../gateway/target/fleetcast.jar"))) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
    }
    throw new IllegalArgumentException("no server jar: build it (mvn -pl gateway -am package) or pass --server-jar");
  }

  /** Generator JVMs: a heap for ~15,000 agents' state and socket buffers, and the same GC as the nodes. */
  List<String> generatorJvm() {
    List<String> jvm = new java.util.ArrayList<>(List.of("-Xms256m", "-Xmx" + generatorHeap, "-XX:+UseG1GC"));
    jvm.addAll(generatorJvmExtra);
    return jvm;
  }

  /** Node JVMs (and the floor servers, which stand in for nodes). */
  List<String> nodeJvm() {
    List<String> jvm = new java.util.ArrayList<>(floorJvm());
    jvm.addAll(nodeJvmExtra);
    return jvm;
  }

  /** A floor server stands in for a node: the same heap, without the nodes' extra (profiling) options. */
  List<String> floorJvm() {
    return List.of("-Xms256m", "-Xmx" + nodeHeap);
  }

  ClusterOptions cluster(Path runDir) {
    List<String> gatewayJvm = new java.util.ArrayList<>(List.of("-Xms256m", "-Xmx" + gatewayHeap));
    gatewayJvm.addAll(gatewayJvmExtra);
    return new ClusterOptions(serverJar(), pgUrl, nodes, apiPort, agentPort, clusterPort, nodeJvm(), gatewayJvm,
        nodeEnv, gatewayEnv, runDir, maxMinutes * 60L, pgLogStatementsMillis);
  }
}
