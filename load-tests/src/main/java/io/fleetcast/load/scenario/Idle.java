package io.fleetcast.load.scenario;

import io.fleetcast.common.log.Kv;
import io.fleetcast.load.runner.NodeHandle;
import io.fleetcast.load.runner.Probe;
import io.fleetcast.load.runner.Sleep;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code idle}: N connected agents doing nothing but answering the nodes' heartbeat pings.
 * Measured over a window: CPU of each node, of the gateway and of the generators, memory per
 * connection, and that no agent was dropped.
 */
final class Idle {
  private static final Logger LOG = Logger.getLogger(Idle.class.getName());

  private Idle() {}

  static JsonObject run(RunContext ctx, int seconds) {
    int n = ctx.opts.agents;
    JsonObject creds = ctx.credentials(n);
    ctx.startAgents(ctx.fleetConfig(ctx.cluster.agentUrls(), 0, 0), creds, n);
    NodeReadings empty = NodeReadings.take(ctx.cluster.nodes(), true);
    ctx.report.put("connect", ctx.connectAll(n, Duration.ofMinutes(5)));
    ctx.awaitOnline(n, Duration.ofMinutes(2));
    Sleep.millis(10_000);

    List<NodeHandle> nodes = ctx.cluster.nodes();
    JsonObject s0 = ctx.gens.sum("agents.stats");
    double[] cpu0 = nodes.stream().mapToDouble(x -> Probe.cpuSeconds(x.pid())).toArray();
    double gw0 = Probe.cpuSeconds(ctx.cluster.gatewayPid());
    double gen0 = Probe.cpuSeconds(ctx.gens.pids());
    long t0 = System.nanoTime();
    Sleep.millis(seconds * 1000L);
    double wall = (System.nanoTime() - t0) / 1e9;
    JsonObject s1 = ctx.gens.sum("agents.stats");
    JsonArray perNode = new JsonArray();
    double maxCpu = 0;
    for (int i = 0; i < nodes.size(); i++) {
      double pct = 100 * (Probe.cpuSeconds(nodes.get(i).pid()) - cpu0[i]) / wall;
      maxCpu = Math.max(maxCpu, pct);
      perNode.add(new JsonObject().put("node", nodes.get(i).id()).put("cpuPercentOfOneCore", round(pct)));
    }
    NodeReadings full = NodeReadings.take(nodes, true);
    JsonArray perConn = full.perConnection(empty);
    long heapPer = 0;
    for (Object o : perConn) {
      heapPer = Math.max(heapPer, ((JsonObject) o).getLong("heapBytesPerConnection"));
    }
    long drops = s1.getLong("drops", 0L) - s0.getLong("drops", 0L);
    JsonObject out = new JsonObject().put("windowSeconds", round(wall)).put("nodes", perNode)
        .put("gatewayCpuPercent", round(100 * (Probe.cpuSeconds(ctx.cluster.gatewayPid()) - gw0) / wall))
        .put("generatorsCpuPercent", round(100 * (Probe.cpuSeconds(ctx.gens.pids()) - gen0) / wall))
        .put("perConnection", perConn).put("nodesAfter", full.toJson()).put("dropsDuringWindow", drops)
        .put("heartbeatSeconds", ctx.opts.nodeEnv.getOrDefault("FLEETCAST_AGENT_HEARTBEAT_SECONDS", "20 (default)"));
    ctx.report.put("fleetcast", out);
    LOG.info(Kv.event("idle.done", "agents", n, "maxNodeCpuPercent", round(maxCpu), "heapPerConn", heapPer,
        "drops", drops));
    ctx.report.row("node CPU, % of one core (max node)", round(maxCpu) + " %", null, null, null)
        .row("heap per connection (max node)", heapPer + " B", null, null, null)
        .row("agents dropped while idle", String.valueOf(drops), null, null, null);
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
