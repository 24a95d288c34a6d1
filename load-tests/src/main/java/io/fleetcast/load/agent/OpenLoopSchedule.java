package io.fleetcast.load.agent;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The arithmetic of an open-loop result stream: {@code agents} agents together offer
 * {@code ratePerSecond} results per second, so each sends one result every
 * {@code agents / ratePerSecond} seconds, starting at a random phase within its first period
 * so that the aggregate is smooth rather than N results at once. Send times are absolute
 * ({@code start + phase + k * period}), so a late timer does not push every later send back:
 * the offered rate does not depend on how the server answers. No I/O, tested alone.
 *
 * @param periodNanos time between two sends of one agent
 */
public record OpenLoopSchedule(long periodNanos) {
  /** Headroom of the pre-provisioned tasks over the sends the schedule makes. */
  private static final double STEP_HEADROOM = 1.5;

  public OpenLoopSchedule {
    if (periodNanos <= 0) {
      throw new IllegalArgumentException("periodNanos must be > 0: " + periodNanos);
    }
  }

  /** The schedule under which {@code agents} agents together offer {@code ratePerSecond} results per second. */
  public static OpenLoopSchedule forRate(int agents, double ratePerSecond) {
    if (agents <= 0 || ratePerSecond <= 0) {
      throw new IllegalArgumentException("agents and rate must be > 0: " + agents + ", " + ratePerSecond);
    }
    return new OpenLoopSchedule(Math.max(1, Math.round(agents * 1e9 / ratePerSecond)));
  }

  /** A random start offset in [0, period): spreads the agents' sends evenly over each period. */
  public long randomPhaseNanos() {
    return ThreadLocalRandom.current().nextLong(periodNanos);
  }

  /** When send number {@code k} (from 0) of an agent that started at {@code startNanos} with {@code phaseNanos} is due. */
  public long dueNanos(long startNanos, long phaseNanos, int k) {
    return startNanos + phaseNanos + k * periodNanos;
  }

  /** Tasks to pre-provision per agent for {@code seconds}: the sends with headroom, at least 10. */
  public int stepsFor(int seconds) {
    return (int) Math.max(10, Math.ceil(STEP_HEADROOM * seconds * 1e9 / periodNanos));
  }
}
