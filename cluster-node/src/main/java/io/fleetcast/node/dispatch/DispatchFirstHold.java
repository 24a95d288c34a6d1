package io.fleetcast.node.dispatch;

import io.fleetcast.node.store.FlushHold;
import java.util.concurrent.TimeUnit;

/**
 * Result batches wait while this node is sending a task to its agents, and while the gateway
 * has said more of the fan-out is on its way, so that the fan-out's frames leave before the
 * results they provoke compete with them for the CPU: on a node that shares its cores with
 * Postgres, writing results mid-dispatch made the whole fleet wait for the task (issue 16;
 * docs/performance.md "Dispatch first"). A batch waits at most {@code maxHoldMillis} from its
 * oldest result; it goes out once no task frame has been sent for {@code quietMillis} and no
 * further part is announced (an announcement lapses after {@code maxHoldMillis}). Results are still acknowledged only after their commit; what grows is
 * the time to that acknowledgement during a dispatch, by at most the hold.
 */
public final class DispatchFirstHold implements FlushHold {
  private final DispatchActivity activity;
  private final long quietNanos;
  private final long maxHoldNanos;

  public DispatchFirstHold(DispatchActivity activity, long quietMillis, long maxHoldMillis) {
    this.activity = activity;
    this.quietNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, quietMillis));
    this.maxHoldNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxHoldMillis));
  }

  /** The hold the settings ask for, or none when {@code maxHoldMillis} is 0. */
  public static FlushHold of(DispatchActivity activity, long quietMillis, long maxHoldMillis) {
    return maxHoldMillis <= 0 ? FlushHold.NONE : new DispatchFirstHold(activity, quietMillis, maxHoldMillis);
  }

  @Override
  public long holdMillis(long oldestSubmittedNanos, long nowNanos) {
    long waited = nowNanos - oldestSubmittedNanos;
    if (waited >= maxHoldNanos) {
      return 0;
    }
    long sinceSent = activity.sinceLastSentNanos(nowNanos);
    long sinceMore = activity.sinceMoreAnnouncedNanos(nowNanos);
    boolean writing = sinceSent < quietNanos;
    // an announcement the gateway never followed up (it failed, or the last part was lost) expires
    boolean announced = sinceMore < maxHoldNanos;
    if (!writing && !announced) {
      return 0;
    }
    long remaining = maxHoldNanos - waited;
    if (announced) {
      // ask again every quiet time: the last part ends the hold without waiting out the maximum
      remaining = Math.min(remaining, Math.min(quietNanos, maxHoldNanos - sinceMore));
    } else {
      remaining = Math.min(remaining, quietNanos - sinceSent);
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999));
  }
}
