package io.fleetcast.load.agent;

import java.util.UUID;

/**
 * Deterministic agent ids: agent {@code i} of a run seeded with {@code seed} has the same
 * UUID in the coordinator (which provisions it in Postgres) and in every generator process
 * (which connects as it), so no id list has to be shipped between processes.
 */
public final class AgentIds {
  private AgentIds() {}

  public static String id(long seed, int index) {
    long msb = mix(seed * 0x9E3779B97F4A7C15L + index);
    long lsb = mix(msb ^ (seed + 0x632BE59BD9B4E019L * (index + 1L)));
    // a well-formed version-4, IETF-variant UUID, as an enrolled agent would have
    msb = (msb & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
    lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** SplitMix64's finalizer: a cheap, well-spread bijection. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
