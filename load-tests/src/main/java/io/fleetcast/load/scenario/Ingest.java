package io.fleetcast.load.scenario;

import io.fleetcast.common.log.Kv;
import io.fleetcast.common.rollout.RolloutState;
import io.fleetcast.common.rollout.TargetState;
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
 * <p>Every agent runs {@code chains} long multi-step jobs whose tasks are pre-provisioned
 * (one rollout per chain, S steps, a target row per agent) and answers step after step as
 * fast as the node acknowledges: each result is a real, distinct result for a task the agent
 * was sent, stored through the same statement as any other (ResultStore), moving its target
 * to the next step. The rollouts are leased to nobody's gateway, so no dispatch traffic mixes in.
 */
final class Ingest {
  private static final Logger LOG = Logger.getLogger(Ingest.class.getName());

  record Params(int seconds, int warmupSeconds, int chains, int expectedPerSecond) {}

  private Ingest() {}

  static JsonObject run(RunContext ctx, Params p) {
    int n = ctx.opts.agents;
    JsonObject creds = ctx.credentials(n);
    ctx.startAgents(ctx.fleetConfig(ctx.cluster.agentUrls(), 0, 0), creds, n);
    ctx.report.put("connect", ctx.connectAll(n, Duration.ofMinutes(5)));
    ctx.awaitOnline(n, Duration.ofMinutes(2));

    // enough steps that no agent runs out during the run, even at 1.5x the expected rate
    int total = p.seconds() + p.warmupSeconds();
    int steps = Math.max(10, (int) Math.ceil(1.5 * p.expectedPerSecond() * total / (double) n / p.chains()));
    long t0 = System.nanoTime();
    List<UUID> rollouts = new ArrayList<>();
    JsonArray chains = new JsonArray();
    for (int c = 0; c < p.chains(); c++) {
      UUID rollout = UUID.randomUUID();
      rollouts.add(rollout);
      chains.add(provisionChain(ctx, rollout, steps));
    }
    LOG.info(Kv.event("ingest.provisioned", "chains", p.chains(), "steps", steps, "targets", n * p.chains(),
        "seconds", (System.nanoTime() - t0) / 1e9));

    ctx.gens.callAll("agents.ingest", new JsonObject().put("chains", chains).put("millis", total * 1000L));
    Sleep.millis(p.warmupSeconds() * 1000L);
    ctx.gens.collect("agents.ingestLatencies", new JsonObject());
    long acks0 = ctx.gens.sum("agents.stats").getLong("resultAcks", 0L);
    io.fleetcast.load.report.Contention cpu = ctx.window();
    long w0 = System.nanoTime();
    JsonArray perSecond = new JsonArray();
    long last = acks0;
    for (int s = 0; s < p.seconds(); s++) {
      Sleep.millis(Math.max(0, (w0 + (s + 1) * 1_000_000_000L - System.nanoTime()) / 1_000_000));
      long now = ctx.gens.sum("agents.stats").getLong("resultAcks", 0L);
      perSecond.add(now - last);
      last = now;
    }
    double window = (System.nanoTime() - w0) / 1e9;
    JsonObject windowCpu = cpu.finish();
    long inWindow = last - acks0;
    Histogram latency = Generators.merge(ctx.gens.collect("agents.ingestLatencies", new JsonObject()), null);
    // the streams stop by themselves at their deadline; wait (bounded) for the last results to be acknowledged
    JsonObject end = ctx.gens.await("agents.stats",
        x -> x.getLong("resultAcks", 0L) >= x.getLong("results", 0L), Duration.ofSeconds(60), 200);
    String ids = String.join(",", rollouts.stream().map(UUID::toString).toList());
    long rows = ctx.db.count("SELECT count(*) FROM results WHERE rollout_id = ANY(string_to_array(?, ',')::uuid[])", ids);
    long stored = end.getLong("resultAcks", 0L) - end.getLong("resultRefused", 0L);

    JsonObject out = new JsonObject()
        .put("resultsPerSecond", Math.round(inWindow / window))
        .put("windowSeconds", Math.round(window * 10) / 10.0)
        .put("perSecond", perSecond)
        .put("resultToResultAck", Histograms.summaryMillis(latency))
        .put("chains", p.chains()).put("steps", steps)
        .put("resultsAcknowledged", end.getLong("resultAcks", 0L))
        .put("resultsRefused", end.getLong("resultRefused", 0L))
        .put("rowsInPostgres", rows)
        .put("everyAcknowledgedResultStored", rows == stored)
        .put("generatorStats", end).put("cpuDuringWindow", windowCpu);
    ctx.report.put("fleetcast", out);
    LOG.info(Kv.event("ingest.done", "resultsPerSecond", out.getLong("resultsPerSecond"), "p99Ms",
        out.getJsonObject("resultToResultAck").getDouble("p99Ms"), "rows", rows, "acked", stored));
    ctx.report.row("results/s durable (sustained)", String.valueOf(out.getLong("resultsPerSecond")), null, null, null)
        .row("result -> resultAck p50", out.getJsonObject("resultToResultAck").getDouble("p50Ms") + " ms", null, null, null)
        .row("result -> resultAck p99", out.getJsonObject("resultToResultAck").getDouble("p99Ms") + " ms", null, null, null)
        .row("rows in Postgres = acked", String.valueOf(rows == stored), null, null, null);
    return out;
  }

  /** One running rollout of {@code steps} exec steps targeting every agent, leased for a day to no gateway. */
  private static JsonArray provisionChain(RunContext ctx, UUID rollout, int steps) {
    ctx.db.exec("INSERT INTO rollouts (id, name, state, request, step_count, target_count, current_wave, expires_at, "
        + "owner, lease_until, started_at) SELECT ?::uuid, 'ingest', " + RolloutState.RUNNING.sql()
        + ", '{}'::jsonb, ?, count(*), 0, "
        + "now() + interval '1 day', 'load-test-ingest', now() + interval '1 day', now() FROM agents",
        rollout.toString(), steps);
    JsonArray tasks = new JsonArray();
    String[] ids = new String[steps];
    for (int s = 0; s < steps; s++) {
      ids[s] = UUID.randomUUID().toString();
      tasks.add(ids[s]);
    }
    ctx.db.exec("INSERT INTO tasks (id, rollout_id, step, kind, spec, continue_on, deadline) "
        + "SELECT t.id::uuid, ?::uuid, t.ord - 1, 'exec', '{\"command\":\"echo\"}'::jsonb, 'always', now() + interval '1 day' "
        + "FROM unnest(?::text[]) WITH ORDINALITY AS t(id, ord)", rollout.toString(), ids);
    ctx.db.exec("INSERT INTO rollout_targets (rollout_id, agent_id, ordinal, wave, state, step, dispatched_at) "
        + "SELECT ?::uuid, id, (row_number() OVER ())::int - 1, 0, " + TargetState.DISPATCHED.sql() + ", 0, now() "
        + "FROM agents",
        rollout.toString());
    return tasks;
  }
}
