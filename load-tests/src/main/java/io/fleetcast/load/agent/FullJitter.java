package io.fleetcast.load.agent;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays as SPEC section 1 asks of agents (and as agent-lite's {@code Backoff}
 * computes them): the n-th consecutive failure waits uniformly in [0, min(cap, base * 2^n)).
 * Stateless, so a simulated agent carries only its failure count (an int), not an object.
 */
public final class FullJitter {
  private FullJitter() {}

  public static long delayMillis(long baseMillis, long capMillis, int failures) {
    double ceiling = Math.min((double) capMillis, baseMillis * Math.pow(2, Math.min(failures, 62)));
    return (long) (ThreadLocalRandom.current().nextDouble() * ceiling);
  }

  /** A node's Retry-After is honoured as a minimum, plus up to one base of jitter. */
  public static long retryAfterMillis(long baseMillis, long retryAfterSeconds) {
    return Math.min(retryAfterSeconds, 3600) * 1000 + (long) (ThreadLocalRandom.current().nextDouble() * baseMillis);
  }

  /** After a refusal that retrying soon cannot fix (401/403): between cap/2 and cap. */
  public static long capMillis(long capMillis) {
    return capMillis / 2 + (long) (ThreadLocalRandom.current().nextDouble() * (capMillis / 2.0));
  }
}
