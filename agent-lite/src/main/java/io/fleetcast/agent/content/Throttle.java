package io.fleetcast.agent.content;

/**
 * A token bucket for a byte rate (pure; time is passed in): after {@code bytes} went out, how
 * long to wait before the next read. A burst of a quarter second is allowed; 0 = unlimited.
 */
public final class Throttle {
  private final double bytesPerNano;
  private final double burst;
  private double tokens;
  private long last;

  public Throttle(long bytesPerSecond, long nowNanos) {
    this.bytesPerNano = bytesPerSecond / 1e9;
    this.burst = Math.max(64 * 1024, bytesPerSecond / 4.0);
    this.tokens = burst;
    this.last = nowNanos;
  }

  public static Throttle kbps(long kiloBitsPerSecond, long nowNanos) {
    return new Throttle(kiloBitsPerSecond <= 0 ? 0 : kiloBitsPerSecond * 1000 / 8, nowNanos);
  }

  public boolean unlimited() {
    return bytesPerNano <= 0;
  }

  /** Takes {@code bytes}; the answer is the pause in milliseconds before reading more (0 = go on). */
  public long take(long bytes, long nowNanos) {
    if (unlimited()) {
      return 0;
    }
    tokens = Math.min(burst, tokens + (nowNanos - last) * bytesPerNano);
    last = nowNanos;
    tokens -= bytes;
    if (tokens >= 0) {
      return 0;
    }
    return Math.max(1, (long) Math.ceil(-tokens / bytesPerNano / 1e6));
  }
}
