package io.fleetcast.load.scenario;

import io.fleetcast.common.log.Kv;
import io.fleetcast.common.rollout.RolloutState;
import io.fleetcast.load.baseline.BaselineOptions;
import io.fleetcast.load.baseline.Baselines;
import io.fleetcast.load.report.CpuPer;
import io.fleetcast.load.report.Delivery;
import io.fleetcast.load.report.Timeline;
import io.fleetcast.load.report.Trials;
import io.fleetcast.load.runner.Generators;
import io.fleetcast.load.runner.Sleep;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code fanout}: one rollout to all N connected agents, timed from the moment the API call
 * returns to (a) every agent holding the task and (b) every result committed in Postgres
 * (per agent: its resultAck, which a node sends only after the commit; whole fleet: also the
 * first poll that counts all N result rows). Then the baselines with the same clients and frame.
 */
public final class Fanout {
  private static final Logger LOG = Logger.getLogger(Fanout.class.getName());
  private static final Duration WAIT = Duration.ofSeconds(180);

  /** What to run besides ours. */
  public record Params(int warmups, int repeat, boolean floor, boolean mosquitto, boolean nats, String mqttHost, int mqttPort,
      String natsHost, int natsPort) {}

  private Fanout() {}

  public static JsonObject run(RunContext ctx, Params p) {
    int n = ctx.opts.agents;
    JsonObject creds = ctx.credentials(n);
    ctx.startAgents(ctx.fleetConfig(ctx.cluster.agentUrls(), 0, 0), creds, n);
    JsonObject connect = ctx.connectAll(n, WAIT);
    ctx.awaitOnline(n, WAIT);
    ctx.report.put("connect", connect);

    Trials trials = new Trials();
    String frame = null;
    for (int r = 0; r < p.warmups() + p.repeat(); r++) {
      JsonObject trial = once(ctx, n, "fanout-" + r);
      frame = ctx.db.stringValue("SELECT frame FROM tasks WHERE rollout_id = ?::uuid",
          trial.getString("rolloutId"));
      if (r >= p.warmups()) {
        trials.add(trial);
      }
      JsonObject brief = trial.copy();
      brief.remove("timeline");
      LOG.info(Kv.event("fanout.trial", "trial", r, "warmup", r < p.warmups(), "result", brief.encode()));
    }
    JsonObject ours = trials.toJson("delivered.wholeFleetMs", "committed.wholeFleetMs", "committed.dbObservedMs",
        "delivered.p99Ms", "apiCallMs", "ttfbMs", "fromRequest.delivered.wholeFleetMs",
        "fromRequest.committed.wholeFleetMs", "cpuMicrosPerTask.total", "serverFirstSentMs");
    ours.put("warmups", p.warmups()).put("measured", p.repeat());
    ctx.report.put("fleetcast", ours);
    ctx.stopAgents();

    JsonObject baselines = new JsonObject();
    Baselines b = new Baselines(ctx.gens, new BaselineOptions(n, ctx.cluster.nodes().size(), ctx.opts.floorPort,
        ctx.opts.floorJvm(), 0, ctx.opts.sources, ctx.opts.maxHandshakes,
        ctx.opts.generatorThreads, p.warmups(), p.repeat(), ctx.runDir, ctx.opts.maxMinutes * 60L, p.mqttHost(), p.mqttPort(),
        p.natsHost(), p.natsPort(), ctx.opts.ackGraceMillis));
    if (p.floor()) {
      baselines.put("floor", b.floor(frame));
    }
    if (p.mosquitto()) {
      baselines.put("mosquitto", b.mosquitto(frame));
    }
    if (p.nats()) {
      baselines.put("nats", b.nats(frame));
    }
    ctx.report.put("baselines", baselines);
    table(ctx, ours, baselines);
    return ours;
  }

  /** One measured rollout. */
  static JsonObject once(RunContext ctx, int n, String name) {
    ctx.gens.callAll("agents.reset", new JsonObject());
    JsonObject before = ctx.gens.sum("agents.stats");
    io.fleetcast.load.report.Contention cpu = ctx.window();
    long tCall = System.nanoTime();
    JsonObject created = ctx.api.createRollout(name);
    long t0 = System.nanoTime();
    String id = created.getString("id");
    int targets = created.getInteger("targets");
    long tasks0 = before.getLong("tasks", 0L);
    long acks0 = before.getLong("resultAcks", 0L);
    Timeline timeline = new Timeline(t0);
    JsonObject s = ctx.gens.await("agents.stats", x -> {
      timeline.sample(System.nanoTime(), x.getLong("tasks", 0L) - tasks0, x.getLong("resultAcks", 0L) - acks0);
      return x.getLong("tasks", 0L) - tasks0 >= n;
    }, WAIT, 5);
    long delivered = s.getLong("tasks", 0L) - tasks0;
    long dbDone = awaitResults(ctx, id, n, WAIT);
    s = ctx.gens.await("agents.stats", x -> {
      timeline.sample(System.nanoTime(), x.getLong("tasks", 0L) - tasks0, x.getLong("resultAcks", 0L) - acks0);
      return x.getLong("resultAcks", 0L) - acks0 >= n;
    }, WAIT, 5);
    JsonObject cpuUsed = cpu.finish();
    List<JsonObject> lat = ctx.gens.collect("agents.latencies", new JsonObject().put("t0", t0));
    JsonObject committed = Delivery.of(lat, "resultAck", t0).put("dbObservedMs", dbDone == 0 ? null
        : Delivery.millis(dbDone - t0));
    // from the moment the API request was sent: what an operator waits for, comparable with the floor's own send
    List<JsonObject> fromCall = ctx.gens.collect("agents.latencies", new JsonObject().put("t0", tCall));
    long first = Generators.min(fromCall, "task", "firstNanos");
    String state = awaitState(ctx, id, Duration.ofSeconds(30));
    return new JsonObject().put("rolloutId", id).put("targets", targets).put("apiCallMs", Delivery.millis(t0 - tCall))
        .put("ttfbMs", first == 0 ? null : Delivery.millis(first - tCall))
        .put("serverFirstSentMs", serverFirstSent(ctx, id))
        .put("fromRequest", new JsonObject().put("delivered", Delivery.of(fromCall, "task", tCall))
            .put("committed", Delivery.of(fromCall, "resultAck", tCall)))
        .put("cpuMicrosPerTask", CpuPer.unit(cpuUsed, delivered))
        .put("delivered", Delivery.of(lat, "task", t0).put("agents", delivered))
        .put("committed", committed.put("resultAcks", s.getLong("resultAcks", 0L) - acks0))
        .put("finalState", state).put("cpu", cpuUsed).put("milestones", timeline.milestones(n)).put("timeline", timeline.toJson());
  }

  /**
   * The gateway's own time from the API request to the first frames handed to the nodes (its
   * {@code rollout.first_sent} log line), or null when it did not log one.
   */
  static Double serverFirstSent(RunContext ctx, String rolloutId) {
    try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(ctx.runDir.resolve("gateway.log"))) {
      return lines.filter(l -> l.contains("event=rollout.first_sent") && l.contains("rollout=" + rolloutId))
          .map(l -> l.replaceAll(".*sinceRequestMs=([0-9.]+).*", "$1")).map(Double::valueOf).findFirst().orElse(null);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /** nanoTime of the first poll that counts {@code n} result rows of the rollout; 0 if that never happened. */
  static long awaitResults(RunContext ctx, String rolloutId, int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ctx.db.count("SELECT count(*) FROM results WHERE rollout_id = ?::uuid", rolloutId) >= n) {
        return System.nanoTime();
      }
      Sleep.millis(10);
    }
    return 0;
  }

  static String awaitState(RunContext ctx, String rolloutId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      state = ctx.api.get("/api/v1/rollouts/" + rolloutId).getString("state");
      if (!RolloutState.RUNNING.is(state) && !RolloutState.SCHEDULED.is(state)) {
        return state;
      }
      Sleep.millis(100);
    }
    return state;
  }

  private static void table(RunContext ctx, JsonObject ours, JsonObject baselines) {
    ctx.report.row("delivered to all (best)", fmt(ours, "best", "delivered.wholeFleetMs"),
        fmt(baselines.getJsonObject("floor"), "best", "delivered.wholeFleetMs"),
        fmt(baselines.getJsonObject("mosquitto"), "best", "delivered.wholeFleetMs"),
        fmt(baselines.getJsonObject("nats"), "best", "delivered.wholeFleetMs"));
    ctx.report.row("delivered to all (median)", fmt(ours, "median", "delivered.wholeFleetMs"),
        fmt(baselines.getJsonObject("floor"), "median", "delivered.wholeFleetMs"),
        fmt(baselines.getJsonObject("mosquitto"), "median", "delivered.wholeFleetMs"),
        fmt(baselines.getJsonObject("nats"), "median", "delivered.wholeFleetMs"));
    ctx.report.row("acked/committed (median)", fmt(ours, "median", "committed.wholeFleetMs"),
        fmt(baselines.getJsonObject("floor"), "median", "allAckedMs"),
        fmt(baselines.getJsonObject("mosquitto"), "median", "allAckedMs"),
        fmt(baselines.getJsonObject("nats"), "median", "allAckedMs"));
    ctx.report.row("from request: first task (median)", fmt(ours, "median", "ttfbMs"), "-", "-", "-");
    ctx.report.row("server: request -> first send (median)", fmt(ours, "median", "serverFirstSentMs"), "-", "-", "-");
    ctx.report.row("from request: delivered to all (median)", fmt(ours, "median", "fromRequest.delivered.wholeFleetMs"),
        "-", "-", "-");
    ctx.report.row("from request: committed (median)", fmt(ours, "median", "fromRequest.committed.wholeFleetMs"),
        "-", "-", "-");
    ctx.report.row("CPU per task, all roles (median)", fmtUs(ours, "median", "cpuMicrosPerTask.total"),
        fmtUs(baselines.getJsonObject("floor"), "median", "cpuMicrosPerTask.total"), "-", "-");
    ctx.report.row("p99 delivery (median)", fmt(ours, "median", "delivered.p99Ms"),
        fmt(baselines.getJsonObject("floor"), "median", "delivered.p99Ms"),
        fmt(baselines.getJsonObject("mosquitto"), "median", "delivered.p99Ms"),
        fmt(baselines.getJsonObject("nats"), "median", "delivered.p99Ms"));
  }

  static String fmtUs(JsonObject o, String which, String key) {
    if (o == null || o.getJsonObject(which) == null) {
      return "-";
    }
    Object v = o.getJsonObject(which).getValue(key);
    return v instanceof Number num && !Double.isNaN(num.doubleValue()) ? String.format("%.0f µs", num.doubleValue()) : "-";
  }

  static String fmt(JsonObject o, String which, String key) {
    if (o == null) {
      return "-";
    }
    if (o.containsKey("skipped")) {
      return "skipped";
    }
    if (o.containsKey("failed")) {
      return "failed";
    }
    Object v = o.getJsonObject(which).getValue(key);
    return v instanceof Number num && !Double.isNaN(num.doubleValue()) ? String.format("%.1f ms", num.doubleValue()) : "-";
  }
}
