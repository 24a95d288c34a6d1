package io.fleetcast.node.agent;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Protects a node from connection storms: a token bucket on upgrades per second (503 with a
 * jittered Retry-After above it) and a cap on connections that have not completed the
 * handshake yet (slow or garbage clients cannot crowd out real agents).
 */
public final class UpgradeGuard {
  private final long ratePerSecond;
  private final int maxPending;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong tokensTimesNanos;
  private final long bucketNanos;
  private final long nanosPerToken;

  public UpgradeGuard(int ratePerSecond, int maxPending) {
    this.ratePerSecond = Math.max(1, ratePerSecond);
    this.maxPending = maxPending;
    this.nanosPerToken = 1_000_000_000L / this.ratePerSecond;
    // burst: one second's worth
    this.bucketNanos = 1_000_000_000L;
    this.tokensTimesNanos = new AtomicLong(System.nanoTime() - bucketNanos);
  }

  /** Takes one upgrade token; false when the node is over its rate. */
  public boolean tryUpgrade() {
    while (true) {
      long now = System.nanoTime();
      long cursor = tokensTimesNanos.get();
      long start = Math.max(cursor, now - bucketNanos);
      long next = start + nanosPerToken;
      if (next > now) {
        return false;
      }
      if (tokensTimesNanos.compareAndSet(cursor, next)) {
        return true;
      }
    }
  }

  /** Seconds a refused client should wait: 1-5 s, spread so that refused clients do not return together. */
  public int retryAfterSeconds() {
    return 1 + ThreadLocalRandom.current().nextInt(5);
  }

  /** Counts a new connection that has not finished its handshake; false if the cap is reached. */
  public boolean enterPending() {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      return false;
    }
    return true;
  }

  public void leavePending() {
    pending.decrementAndGet();
  }

  public int pending() {
    return pending.get();
  }
}
