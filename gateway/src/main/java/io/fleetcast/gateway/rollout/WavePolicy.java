package io.fleetcast.gateway.rollout;

import java.util.List;

/**
 * The decisions of a rollout's strategy, free of I/O: when to halt, when the next wave starts,
 * how many more targets may be dispatched now, when the rollout is complete.
 *
 * <p>Failure halt is checked two ways: at any moment, if failures already exceed the limit for
 * every released target (the outcome can no longer be below it), and at the end of each wave
 * against the targets that finished. A wave ends when none of its targets is in flight and
 * none waits for an online agent; targets whose agent is offline do not hold it up.
 */
public final class WavePolicy {

  /** What the engine should do now. */
  public record Decision(Action action, int nextWave, int waveCap, int dispatchBudget, String reason) {}

  public enum Action { HALT, COMPLETE, ADVANCE_WAVE, DISPATCH }

  private final List<Integer> waves;
  private final Integer maxInFlight;
  private final Double maxFailurePercent;

  public WavePolicy(List<Integer> waves, Integer maxInFlight, Double maxFailurePercent) {
    this.waves = waves;
    this.maxInFlight = maxInFlight;
    this.maxFailurePercent = maxFailurePercent;
  }

  /** How many targets waves 0..k cover together: ceil(percent * total / 100), at least 1 when there are targets. */
  public int cap(int wave, int total) {
    int pct = waves.get(Math.min(wave, waves.size() - 1));
    long cap = ((long) pct * total + 99) / 100;
    return (int) Math.min(total, Math.max(total > 0 ? 1 : 0, cap));
  }

  /**
   * Whether a decision in {@code wave} depends on the exact in-flight count and on pending online
   * targets: only with an in-flight window, a failure threshold, or a later wave to start. A
   * single-wave rollout without either decides on its counts alone.
   */
  public boolean needsWindow(int wave) {
    return maxInFlight != null || maxFailurePercent != null || wave + 1 < waves.size();
  }

  public int waveCount() {
    return waves.size();
  }

  public Decision decide(int currentWave, WaveProgress p) {
    // halt before complete: the final state must not depend on whether the last results fell into one tick
    if (maxFailurePercent != null && p.released() > 0 && p.failures() * 100.0 > maxFailurePercent * p.released()) {
      return new Decision(Action.HALT, currentWave, 0, 0, haltReason(currentWave, p.failures(), p.released()));
    }
    if (p.allTerminal()) {
      return new Decision(Action.COMPLETE, currentWave, 0, 0, "every target finished");
    }
    boolean waveDone = p.inFlight() == 0 && !p.pendingOnline() && p.released() >= Math.min(p.total(), cap(currentWave, p.total()));
    if (waveDone && maxFailurePercent != null && p.terminal() > 0
        && p.failures() * 100.0 > maxFailurePercent * p.terminal()) {
      return new Decision(Action.HALT, currentWave, 0, 0, haltReason(currentWave, p.failures(), p.terminal()));
    }
    if (waveDone && currentWave + 1 < waves.size()) {
      return new Decision(Action.ADVANCE_WAVE, currentWave + 1, cap(currentWave + 1, p.total()), 0,
          "wave " + (currentWave + 1) + " finished");
    }
    int budget = maxInFlight == null ? Integer.MAX_VALUE : Math.max(0, maxInFlight - p.inFlight());
    return new Decision(Action.DISPATCH, currentWave, cap(currentWave, p.total()), budget, "");
  }

  private String haltReason(int wave, int failures, int of) {
    return String.format("halted in wave %d of %d: %d of %d targets failed (%.1f%%), above maxFailurePercent %.1f%%",
        wave + 1, waves.size(), failures, of, failures * 100.0 / of, maxFailurePercent);
  }
}
