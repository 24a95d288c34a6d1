package io.fleetcast.common.rollout;

import java.util.List;
import java.util.Set;

/** States of a rollout ({@code rollouts.state}, SPEC section 2) and their groups. */
public enum RolloutState implements WireState {
  SCHEDULED("scheduled"),
  RUNNING("running"),
  PAUSED("paused"),
  HALTED("halted"),
  COMPLETED("completed"),
  CANCELLED("cancelled"),
  EXPIRED("expired");

  /** States in which a gateway must drive the rollout. Halted ones still see in-flight targets finish. */
  public static final Set<RolloutState> ACTIVE = group(SCHEDULED, RUNNING, PAUSED, HALTED);
  /** Active and not halted: the rollout may still hand out targets (a paused one once resumed). */
  public static final Set<RolloutState> UNHALTED = group(SCHEDULED, RUNNING, PAUSED);
  public static final Set<RolloutState> FINAL = group(COMPLETED, CANCELLED, EXPIRED);

  private final String wire;

  RolloutState(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  /** The state stored as {@code wire}; unknown names are refused. */
  public static RolloutState of(String wire) {
    return WireState.of(RolloutState.class, "rollout state", wire);
  }

  /** Every state's wire name, in the enum's order (for messages listing what is allowed). */
  public static List<String> wireNames() {
    return WireState.wireNames(RolloutState.class);
  }

  /** Whether {@code wire} names a known state. */
  public static boolean known(String wire) {
    return WireState.find(RolloutState.class, wire).isPresent();
  }

  /** Whether the stored state {@code wire} is in {@code group} (false for unknown names). */
  public static boolean in(Set<RolloutState> group, String wire) {
    return WireState.in(RolloutState.class, group, wire);
  }

  private static Set<RolloutState> group(RolloutState first, RolloutState... rest) {
    return WireState.group(first, rest);
  }
}
