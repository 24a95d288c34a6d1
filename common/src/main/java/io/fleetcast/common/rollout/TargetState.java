package io.fleetcast.common.rollout;

import java.util.List;
import java.util.Set;

/**
 * States of a rollout target ({@code rollout_targets.state}, SPEC section 2) and the groups the
 * engine, the node and the API reason about. Every statement that moves a target between them is
 * in {@link TargetTransitions}.
 */
public enum TargetState implements WireState {
  PENDING("pending"),
  WAKING("waking"),
  DISPATCHED("dispatched"),
  ACKED("acked"),
  RUNNING("running"),
  SUCCEEDED("succeeded"),
  FAILED("failed"),
  TIMED_OUT("timedOut"),
  DECLINED("declined"),
  CANCELLED("cancelled"),
  REJECTED("rejected"),
  EXPIRED("expired"),
  SKIPPED("skipped");

  /** Not finished: waiting, being woken or in an agent's hands. */
  public static final Set<TargetState> OPEN = group(PENDING, WAKING, DISPATCHED, ACKED, RUNNING);
  /** Not yet handed to an agent: what a halt skips (in-flight targets are left to finish). */
  public static final Set<TargetState> NOT_HANDED_OUT = group(PENDING, WAKING);
  /** Handed to an agent (or being woken for it) and not finished. */
  public static final Set<TargetState> IN_FLIGHT = group(WAKING, DISPATCHED, ACKED, RUNNING);
  /** The agent has the step: dispatched and maybe acknowledged or running. */
  public static final Set<TargetState> WITH_AGENT = group(DISPATCHED, ACKED, RUNNING);
  public static final Set<TargetState> TERMINAL = group(SUCCEEDED, FAILED, TIMED_OUT, DECLINED, CANCELLED, REJECTED,
      EXPIRED, SKIPPED);
  /** What counts against maxFailurePercent. Declined (a user said no) is not a failure of the rollout. */
  public static final Set<TargetState> FAILURES = group(FAILED, TIMED_OUT, REJECTED);

  private final String wire;

  TargetState(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  /** The state stored as {@code wire}; unknown names are refused. */
  public static TargetState of(String wire) {
    return WireState.of(TargetState.class, "target state", wire);
  }

  /** Every state's wire name, in the enum's order (for messages listing what is allowed). */
  public static List<String> wireNames() {
    return WireState.wireNames(TargetState.class);
  }

  /** Whether {@code wire} names a known state. */
  public static boolean known(String wire) {
    return WireState.find(TargetState.class, wire).isPresent();
  }

  /** Whether the stored state {@code wire} is in {@code group} (false for unknown names). */
  public static boolean in(Set<TargetState> group, String wire) {
    return WireState.in(TargetState.class, group, wire);
  }

  private static Set<TargetState> group(TargetState first, TargetState... rest) {
    return WireState.group(first, rest);
  }
}
