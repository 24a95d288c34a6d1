package io.fleetcast.node.agent;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Protects a node from connection storms: a token bucket on upgrades per second (503 with a
 * jittered Retry-After above it) and a cap on connections that have not been authenticated
 * yet (slow or garbage clients cannot crowd out real agents). A place is given back as soon as
 * the credential is accepted, so in a reconnect storm places turn over at the rate the node
 * authenticates; while none is free, {@link AcceptPacer} leaves newcomers in the kernel's accept
 * queue instead of accepting and refusing them.
 *
 * <p>When the cap is reached, a new connection takes the place of the oldest unfinished one if
 * that one has already waited {@link #DEFAULT_EVICT_AFTER_NANOS} (a real agent finishes its
 * handshake in milliseconds): otherwise clients that open sockets and say nothing could hold
 * every place until the handshake deadline, reconnect, and keep real agents out for good. Young
 * unfinished connections (a genuine reconnect storm) are not evicted; the newcomer is refused.
 */
public final class UpgradeGuard {
  public static final long DEFAULT_EVICT_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final long ratePerSecond;
  private final int maxPending;
  private final long evictAfterNanos;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong evicted = new AtomicLong();
  private final ConcurrentLinkedQueue<Pending> oldestFirst = new ConcurrentLinkedQueue<>();
  private final AtomicLong tokensTimesNanos;
  private final long bucketNanos;
  private final long nanosPerToken;
  private final LongSupplier nanoClock;

  /** One connection that has not completed its handshake, holding one of the capped places until released. */
  public final class Pending {
    private final Runnable evict;
    private final long sinceNanos = nanoClock.getAsLong();
    private final AtomicBoolean released = new AtomicBoolean();

    private Pending(Runnable evict) {
      this.evict = evict;
    }

    /** Gives the place back (handshake done, connection closed, or deadline). True only the first time. */
    public boolean release() {
      if (released.compareAndSet(false, true)) {
        leavePending();
        return true;
      }
      return false;
    }
  }

  public UpgradeGuard(int ratePerSecond, int maxPending) {
    this(ratePerSecond, maxPending, DEFAULT_EVICT_AFTER_NANOS);
  }

  public UpgradeGuard(int ratePerSecond, int maxPending, long evictAfterNanos) {
    this(ratePerSecond, maxPending, evictAfterNanos, System::nanoTime);
  }

  /** With the monotonic clock it reads time from: tests advance a fake one instead of sleeping. */
  UpgradeGuard(int ratePerSecond, int maxPending, long evictAfterNanos, LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.evictAfterNanos = evictAfterNanos;
    this.ratePerSecond = Math.max(1, ratePerSecond);
    this.maxPending = maxPending;
    this.nanosPerToken = 1_000_000_000L / this.ratePerSecond;
    // burst: one second's worth
    this.bucketNanos = 1_000_000_000L;
    this.tokensTimesNanos = new AtomicLong(nanoClock.getAsLong() - bucketNanos);
  }

  /** Takes one upgrade token; false when the node is over its rate. */
  public boolean tryUpgrade() {
    while (true) {
      long now = nanoClock.getAsLong();
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

  /**
   * Takes a place for a new connection; at the cap, evicts the oldest unfinished connection
   * (running its {@code evict} action) when that one is old enough. Null: refused.
   */
  public Pending enterPending(Runnable evict) {
    for (int attempt = 0; attempt < 8; attempt++) {
      if (enterPending()) {
        pruneReleased();
        Pending p = new Pending(evict);
        oldestFirst.add(p);
        return p;
      }
      Pending oldest = pruneReleased();
      if (oldest == null || nanoClock.getAsLong() - oldest.sinceNanos < evictAfterNanos) {
        return null;
      }
      if (oldest.release()) {
        oldestFirst.remove(oldest);
        evicted.incrementAndGet();
        oldest.evict.run();
      }
      // else another connection evicted it first: look again
    }
    return null;
  }

  /**
   * Drops finished connections from the head of the queue and yields the oldest unfinished one.
   * Done on every entry, not only at the cap: otherwise the queue, and the closed channel each
   * entry's evict action holds, would grow by one for every connection the node ever accepted.
   * Handshakes end within the handshake deadline, so the queue stays bounded by what arrived
   * during that time.
   */
  private Pending pruneReleased() {
    Pending head;
    while ((head = oldestFirst.peek()) != null && head.released.get()) {
      oldestFirst.remove(head);
    }
    return head;
  }

  /**
   * Whether a newcomer would get a place now: one is free, or the oldest unfinished connection
   * has waited long enough to be evicted for it.
   */
  public boolean hasRoom() {
    return hasRoom(0);
  }

  /** As {@link #hasRoom()}, keeping {@code headroom} places free for the connections one accept batch brings. */
  public boolean hasRoom(int headroom) {
    if (pending.get() + headroom < maxPending) {
      return true;
    }
    Pending oldest = pruneReleased();
    return oldest != null && nanoClock.getAsLong() - oldest.sinceNanos >= evictAfterNanos;
  }

  /** Entries in the eviction queue (finished ones not yet pruned included); for tests. */
  int queued() {
    return oldestFirst.size();
  }

  /** Unfinished connections closed to make room for newer ones. */
  public long evicted() {
    return evicted.get();
  }

  public int pending() {
    return pending.get();
  }

  public int maxPending() {
    return maxPending;
  }
}
