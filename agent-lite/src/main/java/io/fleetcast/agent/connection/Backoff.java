package io.fleetcast.agent.connection;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with full jitter: the n-th consecutive failure waits a uniformly random
 * time in [0, min(cap, base * 2^n)). Full jitter spreads a fleet that lost its node over the
 * whole window instead of reconnecting in synchronized waves. Not thread-safe (one agent
 * context uses it).
 */
public final class Backoff {
  private final long baseMillis;
  private final long capMillis;
  private final DoubleSupplier random;
  private int failures;

  public Backoff(Duration base, Duration cap) {
    this(base, cap, Math::random);
  }

  /** @param random uniform in [0, 1); injectable for tests */
  public Backoff(Duration base, Duration cap, DoubleSupplier random) {
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = random;
  }

  /** The delay before the next attempt; counts one more failure. */
  public long nextDelayMillis() {
    long ceiling = ceilingMillis(failures);
    if (failures < 62) {
      failures++;
    }
    return (long) (random.getAsDouble() * ceiling);
  }

  /** After a refusal that retrying soon cannot fix (401/403): wait between cap/2 and cap. */
  public long capDelayMillis() {
    failures = 62;
    return capMillis / 2 + (long) (random.getAsDouble() * (capMillis / 2.0));
  }

  /** A node's Retry-After (seconds) is honoured as a minimum, plus up to one base of jitter. */
  public long retryAfterMillis(long retryAfterSeconds) {
    if (failures < 62) {
      failures++;
    }
    return Math.min(retryAfterSeconds, 3600) * 1000 + (long) (random.getAsDouble() * baseMillis);
  }

  /** The window the next delay is drawn from. */
  public long ceilingMillis(int n) {
    double ceiling = baseMillis * Math.pow(2, n);
    return (long) Math.min(capMillis, ceiling);
  }

  public int failures() {
    return failures;
  }

  public void reset() {
    failures = 0;
  }
}
