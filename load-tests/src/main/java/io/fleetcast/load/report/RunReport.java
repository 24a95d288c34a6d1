package io.fleetcast.load.report;

import io.fleetcast.common.log.Kv;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The record of one scenario run: parameters, machine, contention, measured figures and
 * baselines, written as {@code <dir>/<scenario>-<timestamp>.json}, plus a short table.
 */
public final class RunReport {
  private static final Logger LOG = Logger.getLogger(RunReport.class.getName());
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final String scenario;
  private final Instant started = Instant.now();
  private final JsonObject root = new JsonObject();
  private final List<String[]> rows = new ArrayList<>();

  public RunReport(String scenario, String command) {
    this.scenario = scenario;
    root.put("scenario", scenario).put("command", command).put("startedAt", started.toString())
        .put("machine", Machine.describe());
  }

  public JsonObject root() {
    return root;
  }

  public RunReport put(String key, Object value) {
    root.put(key, value);
    return this;
  }

  /** One line of the stdout table: what, our figure, and the baselines' where they apply. */
  public RunReport row(String what, String ours, String floor, String mosquitto, String nats) {
    rows.add(new String[] {what, ours, floor, mosquitto, nats});
    return this;
  }

  public Path write(Path dir) {
    root.put("finishedAt", Instant.now().toString());
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(scenario + "-" + STAMP.format(started) + ".json");
      Files.writeString(file, root.encodePrettily());
      LOG.info(Kv.event("report.written", "file", file));
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the report: " + e.getMessage(), e);
    }
  }

  public String table() {
    String[] head = {scenario, "fleetcast", "floor", "mosquitto", "nats"};
    int[] w = new int[head.length];
    List<String[]> all = new ArrayList<>();
    all.add(head);
    all.addAll(rows);
    for (String[] r : all) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i] == null ? 1 : r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < all.size(); k++) {
      String[] r = all.get(k);
      for (int i = 0; i < r.length; i++) {
        String v = r[i] == null ? "-" : r[i];
        sb.append(i == 0 ? String.format("%-" + w[i] + "s", v) : String.format("  %" + w[i] + "s", v));
      }
      sb.append('\n');
      if (k == 0) {
        int total = 0;
        for (int x : w) {
          total += x + 2;
        }
        sb.append("-".repeat(total - 2)).append('\n');
      }
    }
    return sb.toString();
  }
}
