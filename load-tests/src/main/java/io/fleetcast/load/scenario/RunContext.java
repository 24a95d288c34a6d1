package io.fleetcast.load.scenario;

import io.fleetcast.common.log.Kv;
import io.fleetcast.load.agent.FleetConfig;
import io.fleetcast.load.report.Contention;
import io.fleetcast.load.report.Histograms;
import io.fleetcast.load.report.RunReport;
import io.fleetcast.load.runner.Api;
import io.fleetcast.load.runner.ClusterHandle;
import io.fleetcast.load.runner.Db;
import io.fleetcast.load.runner.Generators;
import io.fleetcast.load.runner.ProcessCluster;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;

/**
 * Everything one scenario run drives: the cluster, the generator processes, the database and
 * the API, plus the steps every scenario shares (credentials, connecting the fleet).
 * {@link #close()} stops everything the run started.
 */
public final class RunContext implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RunContext.class.getName());

  public final CommonOptions opts;
  public final ClusterHandle cluster;
  public final Generators gens;
  public final Db db;
  public final Api api;
  public final RunReport report;
  public final Path runDir;
  private final Contention contention;

  public RunContext(CommonOptions opts, ClusterHandle cluster, Generators gens, RunReport report, Path runDir) {
    this.opts = opts;
    this.cluster = cluster;
    this.gens = gens;
    this.report = report;
    this.runDir = runDir;
    this.db = new Db(cluster.pg());
    this.api = new Api(cluster.apiUrl(), cluster.adminToken());
    this.contention = new Contention(this::ourProcesses);
    report.put("params", new JsonObject().put("agents", opts.agents).put("nodes", cluster.nodes().size())
        .put("generators", gens.size()).put("enroll", opts.enroll).put("nodeHeap", opts.nodeHeap)
        .put("ackGraceMillis", opts.ackGraceMillis)
        .put("nodeEnv", new JsonObject(new java.util.HashMap<>(opts.nodeEnv))).put("runDir", runDir.toString()));
  }

  /** Starts a process cluster and the generator processes for {@code opts}. */
  public static RunContext start(CommonOptions opts, RunReport report) {
    Path runDir = opts.runDir();
    ProcessCluster cluster = ProcessCluster.start(opts.cluster(runDir));
    Generators gens;
    try {
      gens = Generators.processes("gen", opts.generatorCount(), opts.generatorJvm(), runDir, opts.maxMinutes * 60L);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return new RunContext(opts, cluster, gens, report, runDir);
  }

  /** This run's processes by role, for CPU accounting (the coordinator is counted by {@link Contention}). */
  public java.util.Map<String, List<Long>> ourProcesses() {
    long self = ProcessHandle.current().pid();
    java.util.Map<String, List<Long>> roles = new java.util.HashMap<>();
    roles.put("nodes", cluster.nodes().stream().map(n -> n.pid()).filter(p -> p != self).toList());
    roles.put("gateway", cluster.gatewayPid() > 0 ? List.of(cluster.gatewayPid()) : List.of());
    roles.put("generators", gens.pids().stream().filter(p -> p != self).toList());
    roles.put("postgres", db.backendPids());
    return roles;
  }

  /**
   * Credentials for agents 0..n-1: enrolled one by one through the API ({@code --enroll}),
   * or pre-provisioned in bulk with secrets derived from the cluster key.
   */
  public JsonObject credentials(int n) {
    long t0 = System.nanoTime();
    JsonObject creds;
    if (opts.enroll) {
      creds = new JsonObject().put("mode", "enrolled").put("pairs", api.enroll(n, 8));
    } else {
      db.provisionAgents(opts.seed(), n);
      creds = new JsonObject().put("mode", "derived").put("seed", opts.seed())
          .put("key", Base64.getEncoder().encodeToString(db.clusterKey()));
    }
    double s = (System.nanoTime() - t0) / 1e9;
    LOG.info(Kv.event("agents.credentials", "mode", creds.getString("mode"), "agents", n, "seconds", round(s)));
    report.root().put("credentials", new JsonObject().put("mode", creds.getString("mode")).put("agents", n)
        .put("seconds", round(s)).put("perSecond", Math.round(n / Math.max(s, 1e-3))));
    return creds;
  }

  public FleetConfig fleetConfig(List<String> urls, int taskMinMillis, int taskMaxMillis) {
    return new FleetConfig(urls, opts.sources, 1000, 60_000, taskMinMillis, taskMaxMillis, opts.generatorThreads,
        10_000, opts.ackGraceMillis);
  }

  /** Hands each generator its slice of agents 0..n-1. */
  public void startAgents(FleetConfig config, JsonObject credentials, int n) {
    gens.perSlice(n, "agents.start", (from, to) -> new JsonObject().put("config", config.toJson())
        .put("credentials", credentials));
  }

  /**
   * Connects every agent and waits (bounded) until all are welcomed. Yields the time to all
   * connected, the rate and the connect-to-welcome latencies.
   */
  public JsonObject connectAll(int n, Duration atLeast) {
    // a big fleet on a busy machine needs longer: allow 5 ms per agent at least
    Duration timeout = atLeast.compareTo(Duration.ofMillis(5L * n)) > 0 ? atLeast : Duration.ofMillis(5L * n);
    gens.callAll("agents.reset", new JsonObject());
    long t0 = System.nanoTime();
    gens.callAll("agents.connect", new JsonObject().put("rate", opts.connectRate).put("maxInFlight", opts.maxHandshakes));
    JsonObject s = gens.await("agents.stats", x -> x.getLong("connected", 0L) >= n, timeout, 50);
    long connected = s.getLong("connected", 0L);
    JsonObject errors = new JsonObject();
    gens.collect("agents.errors", new JsonObject()).forEach(e -> e.forEach(kv ->
        errors.put(kv.getKey(), errors.getLong(kv.getKey(), 0L) + ((Number) kv.getValue()).longValue())));
    List<JsonObject> lat = gens.collect("agents.connectLatencies", new JsonObject().put("t0", t0));
    Histogram h = Generators.merge(lat, null);
    Histogram welcomed = Generators.merge(lat, "welcomed");
    double p10 = welcomed.getValueAtPercentile(10) / 1e6;
    double p90 = welcomed.getValueAtPercentile(90) / 1e6;
    long last = Generators.max(lat, null, "lastWelcomeNanos");
    double seconds = Math.max(1e-3, (last - t0) / 1e9);
    JsonObject out = new JsonObject().put("agents", n).put("connected", connected)
        .put("allConnected", connected >= n).put("secondsToAll", round(seconds))
        .put("perSecond", Math.round(connected / seconds))
        .put("steadyPerSecond", p90 > p10 ? Math.round(0.8 * connected / (p90 - p10)) : null)
        .put("handshake", Histograms.summaryMillis(h))
        .put("generatorStats", s).put("connectErrors", errors);
    LOG.info(Kv.event("agents.connected", "agents", connected, "of", n, "seconds", round(seconds),
        "perSecond", Math.round(connected / seconds), "refusedBusy", s.getLong("refusedBusy", 0L),
        "errors", s.getLong("connectErrors", 0L)));
    if (connected < n) {
      throw new IllegalStateException("only " + connected + " of " + n + " agents connected within " + timeout
          + ": " + s.encode() + " errors: " + errors.encode());
    }
    return out;
  }

  /** Waits (bounded) until the nodes' presence batches have marked all agents online, which dispatch requires. */
  public void awaitOnline(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long online = 0;
    while (System.nanoTime() < deadline) {
      online = db.count("SELECT count(*) FROM agents WHERE online");
      if (online >= n) {
        return;
      }
      io.fleetcast.load.runner.Sleep.millis(100);
    }
    throw new IllegalStateException("only " + online + " of " + n + " agents marked online within " + timeout);
  }

  public void stopAgents() {
    gens.callAll("agents.stop", new JsonObject());
  }

  public JsonObject contention() {
    return contention.finish();
  }

  /** Starts CPU accounting for a measured window (finish it with {@link Contention#finish()}). */
  public Contention window() {
    return new Contention(this::ourProcesses);
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  @Override
  public void close() {
    try {
      gens.close();
    } finally {
      try {
        db.close();
      } finally {
        cluster.close();
      }
    }
  }
}
