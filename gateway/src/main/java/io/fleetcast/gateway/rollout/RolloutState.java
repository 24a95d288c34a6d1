package io.fleetcast.gateway.rollout;

import java.util.Set;

/** Rollout states (SPEC section 2). */
public final class RolloutState {
  public static final String SCHEDULED = "scheduled";
  public static final String RUNNING = "running";
  public static final String PAUSED = "paused";
  public static final String HALTED = "halted";
  public static final String COMPLETED = "completed";
  public static final String CANCELLED = "cancelled";
  public static final String EXPIRED = "expired";

  public static final Set<String> ALL = Set.of(SCHEDULED, RUNNING, PAUSED, HALTED, COMPLETED, CANCELLED, EXPIRED);
  /** States in which a gateway must drive the rollout. Halted ones still see in-flight targets finish. */
  public static final Set<String> ACTIVE = Set.of(SCHEDULED, RUNNING, PAUSED, HALTED);
  public static final Set<String> FINAL = Set.of(COMPLETED, CANCELLED, EXPIRED);

  private RolloutState() {}
}
