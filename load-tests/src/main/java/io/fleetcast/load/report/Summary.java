package io.fleetcast.load.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The performance table of docs/performance.md, one markdown row per JSON report, so the table is never typed by hand. */
public final class Summary {
  private Summary() {}

  public static String markdown(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".json")).sorted().toList());
    }
    StringBuilder sb = new StringBuilder("| scenario | N | nodes | Fleetcast | floor | Mosquitto | NATS | command | date |\n"
        + "|---|---|---|---|---|---|---|---|---|\n");
    for (Path f : files) {
      JsonObject r = new JsonObject(Files.readString(f));
      if (r.containsKey("error") || r.getJsonObject("fleetcast") == null) {
        continue;
      }
      JsonObject p = r.getJsonObject("params", new JsonObject());
      JsonObject b = r.getJsonObject("baselines", new JsonObject());
      sb.append("| ").append(r.getString("scenario")).append(" | ").append(p.getValue("agents")).append(" | ")
          .append(p.getValue("nodes")).append(" | ").append(ours(r)).append(" | ")
          .append(baseline(b.getJsonObject("floor"))).append(" | ").append(baseline(b.getJsonObject("mosquitto")))
          .append(" | ").append(baseline(b.getJsonObject("nats"))).append(" | `").append(r.getString("command"))
          .append("` | ").append(r.getString("startedAt").substring(0, 16).replace('T', ' ')).append(" |\n");
    }
    return sb.toString();
  }

  private static String ours(JsonObject r) {
    JsonObject f = r.getJsonObject("fleetcast");
    return switch (r.getString("scenario")) {
      case "fanout" -> "delivered " + ms(f, "best", "delivered.wholeFleetMs") + " best / "
          + ms(f, "median", "delivered.wholeFleetMs") + " median; committed " + ms(f, "median", "committed.wholeFleetMs");
      case "connect" -> f.getDouble("secondsToAll") + " s to all, " + f.getValue("steadyPerSecond") + "/s, heap "
          + maxOf(f.getJsonArray("perConnection"), "heapBytesPerConnection") + " B/conn";
      case "ingest" -> f.getLong("resultsPerSecond") + " results/s, p99 "
          + f.getJsonObject("resultToResultAck").getDouble("p99Ms") + " ms"
          + (f.getLong("offeredPerSecond", 0L) > 0 ? " (open loop at " + f.getLong("offeredPerSecond") + "/s)" : "");
      case "reconnect" -> "99% back " + f.getValue("back99Seconds") + " s, 100% " + f.getValue("back100Seconds")
          + " s, " + f.getLong("resultRows") + "/" + f.getLong("targets") + " results";
      case "idle" -> maxOf(f.getJsonArray("nodes"), "cpuPercentOfOneCore") + " % of a core per node, heap "
          + maxOf(f.getJsonArray("perConnection"), "heapBytesPerConnection") + " B/conn";
      default -> "";
    };
  }

  private static String baseline(JsonObject b) {
    if (b == null) {
      return "-";
    }
    if (b.containsKey("skipped")) {
      return "skipped";
    }
    if (b.containsKey("failed")) {
      return "failed";
    }
    return ms(b, "best", "delivered.wholeFleetMs") + " / " + ms(b, "median", "delivered.wholeFleetMs");
  }

  private static String ms(JsonObject o, String which, String key) {
    Object v = o.getJsonObject(which).getValue(key);
    return v instanceof Number n ? Math.round(n.doubleValue()) + " ms" : "-";
  }

  private static Object maxOf(JsonArray a, String key) {
    double max = 0;
    for (Object o : a) {
      max = Math.max(max, ((JsonObject) o).getDouble(key));
    }
    return max == Math.rint(max) ? (Object) (long) max : (Object) max;
  }
}
