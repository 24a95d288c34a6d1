package io.fleetcast.load.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Repeated measurements of one thing: every trial, and the best and median of chosen figures. */
public final class Trials {
  private final List<JsonObject> trials = new ArrayList<>();

  public void add(JsonObject trial) {
    trials.add(trial);
  }

  public boolean isEmpty() {
    return trials.isEmpty();
  }

  /** Lowest value of {@code key} (a number, or a dotted path like {@code delivered.wholeFleetMs}). */
  public double best(String key) {
    return values(key).stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  public double median(String key) {
    List<Double> v = values(key);
    if (v.isEmpty()) {
      return Double.NaN;
    }
    v.sort(Double::compare);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  private List<Double> values(String key) {
    List<Double> out = new ArrayList<>();
    for (JsonObject t : trials) {
      Object v = t;
      for (String part : key.split("\\.")) {
        v = v instanceof JsonObject j ? j.getValue(part) : null;
      }
      if (v instanceof Number n) {
        out.add(n.doubleValue());
      }
    }
    return out;
  }

  /** {@code {trials:[...], best:{k:v}, median:{k:v}}} for the given keys. */
  public JsonObject toJson(String... keys) {
    JsonObject best = new JsonObject();
    JsonObject median = new JsonObject();
    for (String k : keys) {
      best.put(k, best(k));
      median.put(k, median(k));
    }
    return new JsonObject().put("trials", new JsonArray(new ArrayList<>(trials))).put("best", best).put("median", median);
  }
}
