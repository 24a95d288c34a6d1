package io.fleetcast.gateway.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed authentications per client address: a token bucket of {@code burst} failures refilled at
 * {@code perMinute}. An address without budget left is answered 429 before its credential costs a
 * database lookup; credentials already known to be valid are never throttled (see {@link Access}),
 * so a guessing neighbour behind the same NAT does not lock out a working token.
 */
public final class AuthThrottle {
  private static final int MAX_ADDRESSES = 100_000;

  private final double perSecond;
  private final double burst;
  private final ConcurrentHashMap<String, double[]> buckets = new ConcurrentHashMap<>();

  public AuthThrottle(int perMinute, int burst) {
    this.perSecond = Math.max(1, perMinute) / 60.0;
    this.burst = Math.max(1, burst);
  }

  /** Zero if {@code address} may try a credential now, else the whole seconds until it may. */
  public int retryAfter(String address) {
    double[] b = buckets.get(address);
    if (b == null) {
      return 0;
    }
    synchronized (b) {
      refill(b, System.nanoTime());
      return b[0] >= 1 ? 0 : (int) Math.ceil((1 - b[0]) / perSecond);
    }
  }

  /** Records one refused credential from {@code address}. */
  public void failed(String address) {
    if (buckets.size() > MAX_ADDRESSES) {
      // bounded memory under a spoofed-address flood; the budgets start over
      buckets.clear();
    }
    long now = System.nanoTime();
    double[] b = buckets.computeIfAbsent(address, k -> new double[] {burst, now});
    synchronized (b) {
      refill(b, now);
      b[0] = Math.max(0, b[0] - 1);
    }
  }

  private void refill(double[] b, long now) {
    double elapsed = (now - (long) b[1]) / 1e9;
    b[0] = Math.min(burst, b[0] + elapsed * perSecond);
    b[1] = now;
  }
}
