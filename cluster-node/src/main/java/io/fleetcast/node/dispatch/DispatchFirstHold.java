package io.fleetcast.node.dispatch;

import io.fleetcast.node.store.FlushHold;
import java.util.concurrent.TimeUnit;

/**
 * Result batches wait while this node is sending a task to its agents, so that the fan-out's
 * frames leave before the results they provoke compete with them for the CPU: on a node that
 * shares its cores with Postgres, writing results mid-dispatch made the whole fleet wait for
 * the task (issue 16; docs/performance.md "Dispatch first"). A batch waits at most
 * {@code maxHoldMillis} from its oldest result, and none at all once no task frame has been sent
 * for {@code quietMillis}. Results are still acknowledged only after their commit; what grows is
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
    long sinceSent = activity.sinceLastSentNanos(nowNanos);
    long waited = nowNanos - oldestSubmittedNanos;
    if (sinceSent >= quietNanos || waited >= maxHoldNanos) {
      return 0;
    }
    long remaining = Math.min(quietNanos - sinceSent, maxHoldNanos - waited);
    // ask again no later than the quiet time: a dispatch that goes on keeps the batch waiting
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining + 999_999));
  }
}
