package io.fleetcast.node.store;

/**
 * Asks a {@link Batcher} to keep new items a little longer before writing them. The batcher
 * asks before every write of new items (never of retries, never while closing, never at its
 * high-water mark), so a hold can only delay a write, not lose or reorder it.
 */
@FunctionalInterface
public interface FlushHold {
  /** Never holds: batches leave when full or when their oldest item has waited the batch time. */
  FlushHold NONE = (oldest, now) -> 0;

  /**
   * Milliseconds to wait before asking again, 0 to write now.
   *
   * @param oldestSubmittedNanos {@link System#nanoTime()} when the oldest queued item was submitted
   * @param nowNanos the current {@link System#nanoTime()}
   */
  long holdMillis(long oldestSubmittedNanos, long nowNanos);
}
