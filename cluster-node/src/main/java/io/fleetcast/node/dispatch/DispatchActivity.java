package io.fleetcast.node.dispatch;

import io.fleetcast.common.bus.FanOutPart;

/**
 * When this node last wrote task frames to its agents, and whether the gateway said more of
 * that fan-out is on its way: the signals result ingestion yields to (see
 * {@link DispatchFirstHold}). Written from the event-bus inbox and the I/O threads, read by the
 * result batcher; volatile fields, no lock.
 */
public final class DispatchActivity {
  private volatile long lastSentNanos;
  private volatile boolean ever;
  private volatile long moreAnnouncedNanos;
  private volatile boolean moreToCome;

  /** Task frames were just handed to (or written by) the sockets. */
  public void sent() {
    lastSentNanos = System.nanoTime();
    ever = true;
  }

  /** A task message arrived that is {@code part} of its fan-out. */
  public void arrived(FanOutPart part) {
    if (part == FanOutPart.MORE_TO_COME) {
      moreAnnouncedNanos = System.nanoTime();
      moreToCome = true;
    } else {
      moreToCome = false;
    }
  }

  /** Nanoseconds since task frames were last sent at {@code nowNanos}; {@link Long#MAX_VALUE} if never. */
  public long sinceLastSentNanos(long nowNanos) {
    return ever ? nowNanos - lastSentNanos : Long.MAX_VALUE;
  }

  /**
   * Nanoseconds since the gateway last said more of a fan-out follows, while it has not sent
   * that fan-out's last part; {@link Long#MAX_VALUE} when nothing is announced.
   */
  public long sinceMoreAnnouncedNanos(long nowNanos) {
    return moreToCome ? nowNanos - moreAnnouncedNanos : Long.MAX_VALUE;
  }
}
