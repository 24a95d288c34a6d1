package io.fleetcast.load.scenario;

import io.fleetcast.common.log.Kv;
import io.fleetcast.common.rollout.RolloutState;
import io.fleetcast.common.rollout.TargetState;
import io.fleetcast.load.agent.OpenLoopSchedule;
import io.fleetcast.load.report.CpuPer;
import io.fleetcast.load.report.Histograms;
import io.fleetcast.load.runner.Generators;
import io.fleetcast.load.runner.Sleep;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;

/**
 * {@code ingest}: sustained results per second made durable in Postgres by the nodes' result
 * batcher, and the result -> resultAck latency (a node acknowledges only after the commit).
 *
 * <p>Every agent answers pre-provisioned one-step rollouts (a target row per agent, dispatched)
 * task after task: each result is a real, distinct final result for a task the agent was sent,
 * stored through the same statement as any other (ResultStore), finishing its target. Closed
 * loop (default): each agent runs {@code chains} chains of S rollouts, each sending its next
 * result when the last one is acknowledged, so latency is outstanding / rate and says little.
 * Open loop ({@code rate} > 0): one chain, and the agents together send {@code rate} results per
 * second on a fixed schedule ({@link OpenLoopSchedule}) whatever the acknowledgements do, so
 * latency is that of the offered rate, and a server that cannot keep up shows as acknowledged
 * per second below the rate and a growing number of outstanding results. The rollouts are
 * leased to nobody's gateway, so no dispatch traffic mixes in. Then the raw multi-row insert
 * rate of the same Postgres is measured, the yardstick of the ingest goal.
 */
final class Ingest {
  private static final Logger LOG = Logger.getLogger(Ingest.class.getName());
  /**
   * The open loop keeps sending this long after the window's planned end: the window starts a
   * little after the warm-up (control calls), and its last second must still see the full rate.
   */
  private static final int OPEN_LOOP_TAIL_SECONDS = 2;

  /** {@code ratePerSecond} 0 is the closed loop; {@code chains} and {@code expectedPerSecond} apply to it only. */
  record Params(int seconds, int warmupSeconds, int chains, int expectedPerSecond, int ratePerSecond) {
    Params {
      if (ratePerSecond < 0) {
        throw new IllegalArgumentException("--rate must be >= 0: " + ratePerSecond);
      }
    }
  }

  private Ingest() {}

  static JsonObject run(RunContext ctx, Params p) {
    int n = ctx.opts.agents;
    JsonObject creds = ctx.credentials(n);
    ctx.startAgents(ctx.fleetConfig(ctx.cluster.agentUrls(), 0, 0), creds, n);
    ctx.report.put("connect", ctx.connectAll(n, Duration.ofMinutes(5)));
    ctx.awaitOnline(n, Duration.ofMinutes(2));

    boolean openLoop = p.ratePerSecond() > 0;
    int total = p.seconds() + p.warmupSeconds() + (openLoop ? OPEN_LOOP_TAIL_SECONDS : 0);
    OpenLoopSchedule schedule = openLoop ? OpenLoopSchedule.forRate(n, p.ratePerSecond()) : null;
    int chainCount = openLoop ? 1 : p.chains();
    // enough steps that no agent runs out during the run: 1.5x the sends of the open-loop
    // schedule, or 1.5x the expected rate of the closed loop
    int steps = openLoop ? schedule.stepsFor(total)
        : Math.max(10, (int) Math.ceil(1.5 * p.expectedPerSecond() * total / (double) n / p.chains()));
    String mode = openLoop ? "open loop at " + p.ratePerSecond() + "/s" : "closed loop, " + p.chains() + " chains";
    long t0 = System.nanoTime();
    List<UUID> rollouts = new ArrayList<>();
    JsonArray chains = new JsonArray();
    for (int c = 0; c < chainCount; c++) {
      chains.add(provisionChain(ctx, rollouts, steps));
    }
    LOG.info(Kv.event("ingest.provisioned", "mode", mode, "chains", chainCount, "steps", steps,
        "targets", n * chainCount, "seconds", (System.nanoTime() - t0) / 1e9));

    JsonObject start = new JsonObject().put("chains", chains).put("millis", total * 1000L);
    if (openLoop) {
      start.put("periodNanos", schedule.periodNanos());
    }
    ctx.gens.callAll("agents.ingest", start);
    // no generator's streams run past this (each set its deadline before its call returned)
    long streamsEnd = System.nanoTime() + total * 1_000_000_000L;
    Sleep.millis(p.warmupSeconds() * 1000L);
    ctx.gens.collect("agents.ingestLatencies", new JsonObject());
    io.fleetcast.load.report.Contention cpu = ctx.window();
    // the window starts before its first count, so the counts of its first second are its own
    long w0 = System.nanoTime();
    JsonObject stats0 = ctx.gens.sum("agents.stats");
    long acks0 = stats0.getLong("resultAcks", 0L);
    // once a second: acknowledged, outstanding and the p99 of that second, so that a server
    // falling behind shows as a trend and not only in the window's totals
    JsonArray perSecond = new JsonArray();
    JsonArray outstandingPerSecond = new JsonArray();
    JsonArray p99MsPerSecond = new JsonArray();
    Histogram latency = Histograms.micros();
    long maxOutstanding = stats0.getLong("ingestOutstanding", 0L);
    long last = acks0;
    JsonObject stats = stats0;
    for (int s = 0; s < p.seconds(); s++) {
      Sleep.millis(Math.max(0, (w0 + (s + 1) * 1_000_000_000L - System.nanoTime()) / 1_000_000));
      stats = ctx.gens.sum("agents.stats");
      Histogram second = Generators.merge(ctx.gens.collect("agents.ingestLatencies", new JsonObject()), null);
      latency.add(second);
      long now = stats.getLong("resultAcks", 0L);
      long outstanding = stats.getLong("ingestOutstanding", 0L);
      perSecond.add(now - last);
      outstandingPerSecond.add(outstanding);
      p99MsPerSecond.add(Histograms.ms(second.getValueAtPercentile(99)));
      maxOutstanding = Math.max(maxOutstanding, outstanding);
      last = now;
    }
    double window = (System.nanoTime() - w0) / 1e9;
    JsonObject windowCpu = cpu.finish();
    long inWindow = last - acks0;
    long sentInWindow = stats.getLong("results", 0L) - stats0.getLong("results", 0L);
    if (openLoop) {
      // the open loop sends without waiting for acks: let its schedule end (a late timer a
      // moment after) before "every result acknowledged" can hold and the rows are counted
      Sleep.millis(Math.max(0, (streamsEnd - System.nanoTime()) / 1_000_000) + 500);
    }
    // the streams stop by themselves at their deadline; wait (bounded) for the last results to be acknowledged
    JsonObject end = ctx.gens.await("agents.stats",
        x -> x.getLong("resultAcks", 0L) >= x.getLong("results", 0L), Duration.ofSeconds(60), 200);
    String ids = String.join(",", rollouts.stream().map(UUID::toString).toList());
    long rows = ctx.db.count("SELECT count(*) FROM results WHERE rollout_id = ANY(string_to_array(?, ',')::uuid[])", ids);
    long stored = end.getLong("resultAcks", 0L) - end.getLong("resultRefused", 0L);

    // the yardstick, measured right after on the same Postgres while the agents are idle
    JsonObject raw = RawInsertRate.measure(ctx.cluster.pg(), 2, 1000, 5);
    long rate = Math.round(inWindow / window);
    JsonObject out = new JsonObject()
        .put("mode", mode)
        .put("offeredPerSecond", p.ratePerSecond())
        .put("sentPerSecond", Math.round(sentInWindow / window))
        .put("resultsPerSecond", rate)
        .put("maxOutstanding", maxOutstanding)
        .put("rawInsert", raw)
        .put("ofRawInsertRate", Math.round(100.0 * rate / Math.max(1, raw.getLong("rowsPerSecond"))) / 100.0)
        .put("cpuMicrosPerResult", CpuPer.unit(windowCpu, inWindow))
        .put("windowSeconds", Math.round(window * 10) / 10.0)
        .put("perSecond", perSecond)
        .put("outstandingPerSecond", outstandingPerSecond)
        .put("p99MsPerSecond", p99MsPerSecond)
        .put("resultToResultAck", Histograms.summaryMillis(latency))
        .put("chains", chainCount).put("steps", steps)
        .put("resultsAcknowledged", end.getLong("resultAcks", 0L))
        .put("resultsRefused", end.getLong("resultRefused", 0L))
        .put("rowsInPostgres", rows)
        .put("everyAcknowledgedResultStored", rows == stored)
        .put("generatorStats", end).put("cpuDuringWindow", windowCpu);
    ctx.report.put("fleetcast", out);
    LOG.info(Kv.event("ingest.done", "mode", mode, "offeredPerSecond", p.ratePerSecond(),
        "resultsPerSecond", out.getLong("resultsPerSecond"), "p99Ms", out.getJsonObject("resultToResultAck").getDouble("p99Ms"),
        "maxOutstanding", maxOutstanding, "rows", rows, "acked", stored));
    JsonObject lat = out.getJsonObject("resultToResultAck");
    ctx.report.row("mode", mode, null, null, null)
        .row("results/s sent (" + mode + ")", String.valueOf(out.getLong("sentPerSecond")), null, null, null)
        .row("results/s durable (" + mode + ")", String.valueOf(out.getLong("resultsPerSecond")), null, null, null)
        .row("raw multi-row insert rows/s (same Postgres)", String.valueOf(raw.getLong("rowsPerSecond")), null, null, null)
        .row("result -> resultAck p50 (" + mode + ")", lat.getDouble("p50Ms") + " ms", null, null, null)
        .row("result -> resultAck p99 (" + mode + ")", lat.getDouble("p99Ms") + " ms", null, null, null)
        .row("max outstanding results (" + mode + ")", String.valueOf(maxOutstanding), null, null, null)
        .row("rows in Postgres = acked", String.valueOf(rows == stored), null, null, null);
    return out;
  }

  /**
   * A chain of {@code steps} one-step rollouts, each running, targeting every agent (dispatched)
   * and leased for a day to no gateway: every result of the chain is the final result of a task
   * dispatched to its agent. (A multi-step job would not do: the next step's result is refused
   * until the engine dispatches that step, and no engine drives these rollouts.)
   */
  private static JsonArray provisionChain(RunContext ctx, List<UUID> rollouts, int steps) {
    JsonArray tasks = new JsonArray();
    for (int s = 0; s < steps; s++) {
      UUID rollout = UUID.randomUUID();
      rollouts.add(rollout);
      String task = UUID.randomUUID().toString();
      tasks.add(task);
      ctx.db.exec("INSERT INTO rollouts (id, name, state, request, step_count, target_count, current_wave, expires_at, "
          + "owner, lease_until, started_at) SELECT ?::uuid, 'ingest', " + RolloutState.RUNNING.sql()
          + ", '{}'::jsonb, 1, count(*), 0, "
          + "now() + interval '1 day', 'load-test-ingest', now() + interval '1 day', now() FROM agents",
          rollout.toString());
      ctx.db.exec("INSERT INTO tasks (id, rollout_id, step, kind, spec, continue_on, deadline) "
          + "VALUES (?::uuid, ?::uuid, 0, 'exec', '{\"command\":\"echo\"}'::jsonb, 'always', now() + interval '1 day')",
          task, rollout.toString());
      ctx.db.exec("INSERT INTO rollout_targets (rollout_id, agent_id, ordinal, wave, state, step, dispatched_at) "
          + "SELECT ?::uuid, id, (row_number() OVER ())::int - 1, 0, " + TargetState.DISPATCHED.sql() + ", 0, now() "
          + "FROM agents",
          rollout.toString());
    }
    ctx.db.exec("ANALYZE rollout_targets");
    return tasks;
  }
}
