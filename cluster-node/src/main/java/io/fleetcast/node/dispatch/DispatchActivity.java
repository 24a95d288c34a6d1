package io.fleetcast.node.dispatch;

/**
 * When this node last wrote task frames to its agents: the signal result ingestion yields to
 * (see {@link DispatchFirstHold}). Written from the event-bus inbox and the I/O threads, read
 * by the result batcher; one volatile long, no lock.
 */
public final class DispatchActivity {
  private volatile long lastSentNanos;
  private volatile boolean ever;

  /** Task frames were just handed to (or written by) the sockets. */
  public void sent() {
    lastSentNanos = System.nanoTime();
    ever = true;
  }

  /** Nanoseconds since task frames were last sent at {@code nowNanos}; {@link Long#MAX_VALUE} if never. */
  public long sinceLastSentNanos(long nowNanos) {
    return ever ? nowNanos - lastSentNanos : Long.MAX_VALUE;
  }
}
