package io.fleetcast.load.report;

import io.fleetcast.load.runner.Generators;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.HdrHistogram.Histogram;

/** Per-client delays from one moment t0, merged over generator processes: percentiles and the whole-fleet time. */
public final class Delivery {
  private Delivery() {}

  /** {@code field} of each generator answer (or the answer itself when null) holds {count, lastNanos, hist}. */
  public static JsonObject of(List<JsonObject> answers, String field, long t0) {
    Histogram h = Generators.merge(answers, field);
    long last = Generators.max(answers, field, "lastNanos");
    return Histograms.summaryMillis(h).put("wholeFleetMs", last == 0 ? null : millis(last - t0));
  }

  public static double millis(long nanos) {
    return Math.round(nanos / 100_000.0) / 10.0;
  }
}
