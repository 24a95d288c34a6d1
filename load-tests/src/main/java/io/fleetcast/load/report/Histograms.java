package io.fleetcast.load.report;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** HdrHistograms of microseconds: building, shipping between processes (base64) and summarising. */
public final class Histograms {
  /** One hour in microseconds, 3 significant digits. */
  public static Histogram micros() {
    return new Histogram(3_600_000_000L, 3);
  }

  private Histograms() {}

  public static String encode(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
  }

  public static Histogram decode(String b64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(b64)), 0);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("not an encoded histogram", e);
    }
  }

  /** count, p50, p90, p99, max in milliseconds (from microseconds). */
  public static JsonObject summaryMillis(Histogram h) {
    return new JsonObject()
        .put("count", h.getTotalCount())
        .put("minMs", ms(h.getTotalCount() == 0 ? 0 : h.getMinValue()))
        .put("p50Ms", ms(h.getValueAtPercentile(50)))
        .put("p90Ms", ms(h.getValueAtPercentile(90)))
        .put("p99Ms", ms(h.getValueAtPercentile(99)))
        .put("maxMs", ms(h.getMaxValue()));
  }

  /**
   * Delays from {@code t0} to each non-zero stamp (all {@code System.nanoTime()} of this
   * machine): {@code {count, lastNanos, hist}}.
   */
  public static JsonObject since(java.util.concurrent.atomic.AtomicLongArray stamps, long t0) {
    Histogram h = micros();
    long max = 0;
    long min = Long.MAX_VALUE;
    for (int i = 0; i < stamps.length(); i++) {
      long t = stamps.get(i);
      if (t != 0) {
        h.recordValue(Math.max(0, (t - t0) / 1000));
        max = Math.max(max, t);
        min = Math.min(min, t);
      }
    }
    return new JsonObject().put("count", h.getTotalCount()).put("firstNanos", min == Long.MAX_VALUE ? 0 : min)
        .put("lastNanos", max).put("hist", encode(h));
  }

  public static double ms(long micros) {
    return Math.round(micros / 100.0) / 10.0;
  }
}
