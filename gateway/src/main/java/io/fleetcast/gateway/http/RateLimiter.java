package io.fleetcast.gateway.http;

import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per API token: {@code rate} requests per second, bursts of twice that. */
public final class RateLimiter {
  private final double rate;
  private final double burst;
  private final ConcurrentHashMap<String, double[]> buckets = new ConcurrentHashMap<>();

  public RateLimiter(int ratePerSecond) {
    this.rate = Math.max(1, ratePerSecond);
    this.burst = rate * 2;
  }

  /** Zero if allowed, else the whole seconds to wait. */
  public int acquire(String key) {
    long now = System.nanoTime();
    double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, now});
    synchronized (b) {
      double elapsed = (now - (long) b[1]) / 1e9;
      b[0] = Math.min(burst, b[0] + elapsed * rate);
      b[1] = now;
      if (b[0] >= 1) {
        b[0] -= 1;
        return 0;
      }
      return (int) Math.ceil((1 - b[0]) / rate);
    }
  }
}
