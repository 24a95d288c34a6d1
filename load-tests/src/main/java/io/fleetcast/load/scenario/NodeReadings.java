package io.fleetcast.load.scenario;

import io.fleetcast.load.runner.NodeHandle;
import io.fleetcast.load.runner.Probe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Heap (live, after a full GC), RSS, CPU and connected agents of every node at one moment. */
record NodeReadings(List<JsonObject> nodes) {

  static NodeReadings take(List<NodeHandle> handles, boolean gc) {
    List<JsonObject> out = new ArrayList<>();
    for (NodeHandle n : handles) {
      String metrics = Probe.scrape(n.metricsUrl());
      out.add(new JsonObject().put("node", n.id())
          .put("heapBytes", gc ? Probe.heapAfterGc(n.pid()) : (long) Probe.metric(metrics, "jvm_memory_used_bytes", "area=\"heap\""))
          .put("rssBytes", Probe.rssBytes(n.pid()))
          .put("cpuSeconds", Probe.cpuSeconds(n.pid()))
          .put("connected", (long) Probe.metric(metrics, "fleetcast_agents_connected")));
    }
    return new NodeReadings(out);
  }

  /** Per node: heap and RSS growth per connected agent between {@code before} (empty node) and this reading. */
  JsonArray perConnection(NodeReadings before) {
    JsonArray arr = new JsonArray();
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject a = before.nodes.get(i);
      JsonObject b = nodes.get(i);
      long conns = Math.max(1, b.getLong("connected"));
      arr.add(new JsonObject().put("node", b.getString("node")).put("connected", b.getLong("connected"))
          .put("heapBytesPerConnection", (b.getLong("heapBytes") - a.getLong("heapBytes")) / conns)
          .put("rssBytesPerConnection", (b.getLong("rssBytes") - a.getLong("rssBytes")) / conns)
          .put("heapBytes", b.getLong("heapBytes")).put("rssBytes", b.getLong("rssBytes")));
    }
    return arr;
  }

  JsonArray toJson() {
    return new JsonArray(new ArrayList<>(nodes));
  }
}
