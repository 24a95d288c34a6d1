package io.fleetcast.load.scenario;

import io.fleetcast.common.log.Kv;
import io.fleetcast.common.rollout.SqlStates;
import io.fleetcast.common.rollout.TargetState;
import io.fleetcast.load.report.Histograms;
import io.fleetcast.load.runner.Generators;
import io.fleetcast.load.runner.Probe;
import io.fleetcast.load.runner.Sleep;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;

/**
 * {@code reconnect}: a rollout is in flight (tasks delivered, results still being produced by
 * agents whose tasks take a few seconds), then one node is killed with SIGKILL. Measured: time
 * until 99% and 100% of its agents are welcomed by the other nodes (they reconnect with full
 * jitter), and whether every target still ends with exactly one stored result.
 */
final class Reconnect {
  private static final Logger LOG = Logger.getLogger(Reconnect.class.getName());

  record Params(int killNode, int taskMinMillis, int taskMaxMillis, int timeoutSeconds) {}

  private Reconnect() {}

  static JsonObject run(RunContext ctx, Params p) {
    int n = ctx.opts.agents;
    if (ctx.cluster.nodes().size() < 2) {
      throw new IllegalArgumentException("reconnect needs at least 2 nodes");
    }
    JsonObject creds = ctx.credentials(n);
    ctx.startAgents(ctx.fleetConfig(ctx.cluster.agentUrls(), p.taskMinMillis(), p.taskMaxMillis()), creds, n);
    ctx.report.put("connect", ctx.connectAll(n, Duration.ofMinutes(5)));
    ctx.awaitOnline(n, Duration.ofMinutes(2));

    // GIVEN a rollout whose tasks are all delivered and whose results are still coming in
    JsonObject before = ctx.gens.sum("agents.stats");
    String rollout = ctx.api.createRollout("reconnect").getString("id");
    ctx.gens.await("agents.stats", x -> x.getLong("tasks", 0L) - before.getLong("tasks", 0L) >= n,
        Duration.ofMinutes(2), 20);
    long committedAtKill = ctx.db.count("SELECT count(*) FROM results WHERE rollout_id = ?::uuid", rollout);
    long held = (long) Probe.metric(Probe.scrape(ctx.cluster.nodes().get(p.killNode()).metricsUrl()),
        "fleetcast_agents_connected");

    // WHEN one node dies without warning
    long tKill = System.nanoTime();
    java.util.concurrent.CompletableFuture<Long> torn = ctx.cluster.kill(p.killNode());
    LOG.info(Kv.event("reconnect.killed", "node", p.killNode(), "agentsHeld", held, "resultsCommitted", committedAtKill));

    // THEN its agents come back elsewhere (bounded wait), recording when 99% and 100% were back
    Long back99 = null;
    Long back100 = null;
    JsonObject r = new JsonObject();
    long deadline = tKill + Duration.ofSeconds(p.timeoutSeconds()).toNanos();
    while (System.nanoTime() < deadline) {
      r = reconnects(ctx, tKill);
      long dropped = r.getLong("dropped");
      long back = r.getLong("back");
      long now = System.nanoTime();
      if (dropped >= held && held > 0) {
        if (back99 == null && back >= Math.ceil(0.99 * dropped)) {
          back99 = now;
        }
        if (back >= dropped) {
          back100 = now;
          break;
        }
      }
      Sleep.millis(100);
    }
    List<JsonObject> answers = ctx.gens.collect("agents.reconnects", new JsonObject().put("since", tKill));
    Histogram h = Generators.merge(answers, null);

    // AND the rollout still completes with one result per target
    long rows = awaitRows(ctx, rollout, n, Duration.ofSeconds(p.timeoutSeconds()));
    String state = Fanout.awaitState(ctx, rollout, Duration.ofSeconds(60));
    long open = ctx.db.count("SELECT count(*) FROM rollout_targets WHERE rollout_id = ?::uuid "
        + "AND state IN " + SqlStates.list(TargetState.OPEN), rollout);
    long succeeded = ctx.db.count("SELECT count(*) FROM rollout_targets WHERE rollout_id = ?::uuid "
        + "AND state = " + TargetState.SUCCEEDED.sql(), rollout);
    JsonObject stats = ctx.gens.sum("agents.stats");

    JsonObject out = new JsonObject()
        .put("killedNode", ctx.cluster.nodes().get(p.killNode()).id())
        .put("agentsOnKilledNode", held)
        .put("dropped", r.getLong("dropped")).put("back", r.getLong("back"))
        .put("back99Seconds", back99 == null ? null : seconds(back99 - tKill))
        .put("back100Seconds", back100 == null ? null : seconds(back100 - tKill))
        .put("welcomeAfterKill", Histograms.summaryMillis(h))
        .put("killedProcessTornDownAfterMs", tornDownMillis(torn, tKill))
        .put("dropNoticedAfterKill", Histograms.summaryMillis(Generators.merge(answers, "dropNoticed")))
        .put("successfulHandshake", Histograms.summaryMillis(Generators.merge(answers, "lastHandshake")))
        .put("resultsCommittedAtKill", committedAtKill)
        .put("resultRows", rows).put("targets", n).put("noResultLost", rows == n)
        .put("targetsSucceeded", succeeded).put("targetsOpen", open).put("rolloutState", state)
        .put("tasksRedelivered", stats.getLong("duplicateTasks", 0L))
        .put("resultsResent", stats.getLong("resent", 0L))
        .put("generatorStats", stats);
    ctx.report.put("fleetcast", out);
    LOG.info(Kv.event("reconnect.done", "back99s", out.getValue("back99Seconds"), "back100s",
        out.getValue("back100Seconds"), "rows", rows, "targets", n, "state", state));
    ctx.report.row("agents on killed node", String.valueOf(held), null, null, null)
        .row("99% back after kill", fmtSeconds(out.getDouble("back99Seconds")), null, null, null)
        .row("100% back after kill", fmtSeconds(out.getDouble("back100Seconds")), null, null, null)
        .row("result rows / targets", rows + " / " + n, null, null, null)
        .row("rollout state", state, null, null, null);
    return out;
  }

  private static JsonObject reconnects(RunContext ctx, long since) {
    long dropped = 0;
    long back = 0;
    for (JsonObject a : ctx.gens.collect("agents.reconnects", new JsonObject().put("since", since))) {
      dropped += a.getLong("dropped");
      back += a.getLong("back");
    }
    return new JsonObject().put("dropped", dropped).put("back", back);
  }

  private static long awaitRows(RunContext ctx, String rollout, int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long rows = 0;
    while (System.nanoTime() < deadline) {
      rows = ctx.db.count("SELECT count(*) FROM results WHERE rollout_id = ?::uuid", rollout);
      if (rows >= n) {
        break;
      }
      Sleep.millis(250);
    }
    return rows;
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 10_000_000.0) / 100.0;
  }

  private static String fmtSeconds(Double s) {
    return s == null ? "not reached" : String.format("%.2f s", s);
  }

  /** When the kernel had closed the killed node's sockets (a zombie or gone), in ms after the kill; null if not seen. */
  private static Double tornDownMillis(java.util.concurrent.CompletableFuture<Long> torn, long tKill) {
    try {
      long at = torn.get(5, java.util.concurrent.TimeUnit.SECONDS);
      return at == 0 ? null : Math.round((at - tKill) / 100_000.0) / 10.0;
    } catch (Exception e) {
      return null;
    }
  }
}
