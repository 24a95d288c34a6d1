package io.fleetcast.gateway.rollout;

import java.util.Set;

/** Target states (SPEC section 2) and the groups the engine reasons about. */
public final class TargetState {
  public static final String PENDING = "pending";
  public static final String WAKING = "waking";
  public static final String DISPATCHED = "dispatched";
  public static final String ACKED = "acked";
  public static final String RUNNING = "running";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String TIMED_OUT = "timedOut";
  public static final String DECLINED = "declined";
  public static final String CANCELLED = "cancelled";
  public static final String REJECTED = "rejected";
  public static final String EXPIRED = "expired";
  public static final String SKIPPED = "skipped";

  public static final Set<String> ALL = Set.of(PENDING, WAKING, DISPATCHED, ACKED, RUNNING, SUCCEEDED, FAILED,
      TIMED_OUT, DECLINED, CANCELLED, REJECTED, EXPIRED, SKIPPED);
  /** Handed to an agent and not finished. */
  public static final Set<String> IN_FLIGHT = Set.of(WAKING, DISPATCHED, ACKED, RUNNING);
  public static final Set<String> TERMINAL = Set.of(SUCCEEDED, FAILED, TIMED_OUT, DECLINED, CANCELLED, REJECTED,
      EXPIRED, SKIPPED);
  /** What counts against maxFailurePercent. Declined (a user said no) is not a failure of the rollout. */
  public static final Set<String> FAILURES = Set.of(FAILED, TIMED_OUT, REJECTED);

  private TargetState() {}
}
