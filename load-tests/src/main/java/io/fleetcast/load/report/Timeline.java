package io.fleetcast.load.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How a fan-out progressed: {@code [ms since t0, agents holding the task, results acknowledged]}
 * at each poll where something changed, so the report shows where the time went (a slow start
 * before the first delivery, steady delivery, a tail).
 */
public final class Timeline {
  private static final int MAX_POINTS = 2000;
  private final long t0;
  private final JsonArray points = new JsonArray();
  private long lastA = -1;
  private long lastB = -1;

  public Timeline(long t0) {
    this.t0 = t0;
  }

  public void sample(long nanos, long a, long b) {
    if ((a != lastA || b != lastB) && points.size() < MAX_POINTS) {
      points.add(new JsonArray().add(Delivery.millis(nanos - t0)).add(a).add(b));
      lastA = a;
      lastB = b;
    }
  }

  public JsonArray toJson() {
    return points;
  }

  /** ms at which {@code a} first reached {@code count}, or null. */
  public Double firstAt(int column, long count) {
    for (int i = 0; i < points.size(); i++) {
      JsonArray p = points.getJsonArray(i);
      if (p.getLong(column) >= count) {
        return p.getDouble(0);
      }
    }
    return null;
  }

  public JsonObject milestones(long n) {
    return new JsonObject().put("firstDeliveredMs", firstAt(1, 1)).put("halfDeliveredMs", firstAt(1, n / 2))
        .put("firstCommittedMs", firstAt(2, 1)).put("halfCommittedMs", firstAt(2, n / 2));
  }
}
