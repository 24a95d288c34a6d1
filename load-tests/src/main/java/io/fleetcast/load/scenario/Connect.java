package io.fleetcast.load.scenario;

import io.fleetcast.common.log.Kv;
import io.fleetcast.load.runner.Sleep;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * {@code connect}: N agents connect; the connect rate, the time until all are welcomed, and
 * what each connection costs a node in live heap (after a full GC) and in RSS.
 */
final class Connect {
  private static final Logger LOG = Logger.getLogger(Connect.class.getName());

  private Connect() {}

  static JsonObject run(RunContext ctx, int settleSeconds, int histogramClasses) {
    int n = ctx.opts.agents;
    JsonObject creds = ctx.credentials(n);
    ctx.startAgents(ctx.fleetConfig(ctx.cluster.agentUrls(), 0, 0), creds, n);
    NodeReadings empty = NodeReadings.take(ctx.cluster.nodes(), true);
    JsonObject connect = ctx.connectAll(n, Duration.ofMinutes(5));
    ctx.awaitOnline(n, Duration.ofMinutes(2));
    // let presence batches, location entries and handshake garbage settle before the reading
    Sleep.millis(settleSeconds * 1000L);
    NodeReadings full = NodeReadings.take(ctx.cluster.nodes(), true);
    JsonArray perConn = full.perConnection(empty);
    JsonObject out = connect.put("nodesBefore", empty.toJson()).put("nodesAfter", full.toJson())
        .put("perConnection", perConn);
    if (histogramClasses > 0) {
      // where a connection's heap goes: the biggest classes of each node's live heap
      JsonObject histograms = new JsonObject();
      ctx.cluster.nodes().forEach(node -> histograms.put(node.id(),
          new JsonArray(new java.util.ArrayList<>(io.fleetcast.load.runner.Probe.classHistogram(node.pid(), histogramClasses)))));
      out.put("classHistograms", histograms);
    }
    ctx.report.put("fleetcast", out);
    long heapPer = 0;
    long rssPer = 0;
    for (Object o : perConn) {
      heapPer = Math.max(heapPer, ((JsonObject) o).getLong("heapBytesPerConnection"));
      rssPer = Math.max(rssPer, ((JsonObject) o).getLong("rssBytesPerConnection"));
    }
    LOG.info(Kv.event("connect.done", "agents", n, "seconds", connect.getDouble("secondsToAll"), "heapPerConn", heapPer,
        "rssPerConn", rssPer));
    ctx.report.row("time to all connected", connect.getDouble("secondsToAll") + " s", null, null, null)
        .row("connects per second (all)", String.valueOf(connect.getLong("perSecond")), null, null, null)
        .row("connects per second (10%-90%)", String.valueOf(connect.getValue("steadyPerSecond")), null, null, null)
        .row("handshake p99", connect.getJsonObject("handshake").getDouble("p99Ms") + " ms", null, null, null)
        .row("heap per connection (max node)", heapPer + " B", null, null, null)
        .row("RSS per connection (max node)", rssPer + " B", null, null, null);
    return out;
  }
}
