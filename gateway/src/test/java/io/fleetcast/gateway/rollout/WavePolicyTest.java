package io.fleetcast.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.rollout.WavePolicy.Action;
import io.fleetcast.gateway.rollout.WavePolicy.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strategy decisions of a running rollout: wave caps, failure halt, wave advance, dispatch budget, completion. */
@Timeout(10)
class WavePolicyTest {
  private static final WavePolicy CANARY = new WavePolicy(List.of(1, 10, 100), null, 5.0);

  /** (total, released, inFlight, pendingOnline, terminal, failures, allTerminal) */
  private static WaveProgress p(int total, int released, int inFlight, boolean pendingOnline, int terminal, int failures,
      boolean allTerminal) {
    return new WaveProgress(total, released, inFlight, pendingOnline, terminal, failures, allTerminal);
  }

  /** Caps are cumulative ceilings of the wave percentages, at least one target, never more than all. */
  @ParameterizedTest
  @CsvSource({
      // total, wave, expected cap
      "1000, 0, 10", "1000, 1, 100", "1000, 2, 1000",
      "150, 0, 2", "150, 1, 15", "150, 2, 150",
      "10, 0, 1", "10, 1, 1", "10, 2, 10",
      "1, 0, 1", "1, 2, 1",
      "3, 0, 1", "3, 1, 1",
      "0, 0, 0", "0, 2, 0",
      "1000000, 0, 10000",
      "1000, 7, 1000"})
  void capMath(int total, int wave, int expected) {
    // GIVEN waves of 1%, 10% and 100%
    // WHEN the cap of a wave is computed for a fleet size
    // THEN it is the rounded-up share, at least one target when there are any
    assertThat(CANARY.cap(wave, total)).isEqualTo(expected);
  }

  /** Failures above the limit for everything released halt at once, even while targets are still in flight. */
  @Test
  void haltsEarlyWhenFailuresExceedLimitForAllReleased() {
    // GIVEN 100 released targets of which 6 failed and many still run, with a 5 % limit
    WavePolicy policy = new WavePolicy(List.of(10, 100), null, 5.0);

    // WHEN the engine decides
    Decision d = policy.decide(1, p(1000, 100, 80, true, 20, 6, false));

    // THEN it halts, naming the numbers
    assertThat(d.action()).isEqualTo(Action.HALT);
    assertThat(d.reason()).contains("6 of 100").contains("maxFailurePercent 5.0%").contains("wave 2 of 2");
    assertThat(d.dispatchBudget()).isZero();
  }

  /** Exactly at the limit is not above it: no early halt. */
  @Test
  void atTheLimitDoesNotHalt() {
    // GIVEN 5 failures among 100 released, with a 5 % limit, and targets still in flight
    // WHEN the engine decides
    Decision d = CANARY.decide(2, p(1000, 100, 50, true, 50, 5, false));

    // THEN it keeps dispatching
    assertThat(d.action()).isEqualTo(Action.DISPATCH);
  }

  /** At the end of a wave the finished targets are judged: too many failures among them halt before the next wave. */
  @Test
  void haltsAtWaveEndOnFinishedRatio() {
    // GIVEN a finished canary wave: 10 released, 8 offline (pending, not online), 2 finished and 1 of them failed
    WavePolicy policy = new WavePolicy(List.of(1, 100), null, 20.0);

    // WHEN the engine decides
    Decision d = policy.decide(0, p(1000, 10, 0, false, 2, 1, false));

    // THEN it halts on 1 of 2 finished (50 % > 20 %) instead of starting wave 2
    assertThat(d.action()).isEqualTo(Action.HALT);
    assertThat(d.reason()).contains("1 of 2").contains("wave 1 of 2");
  }

  /** The same finished ratio does not halt while the wave is still running. */
  @Test
  void noWaveEndHaltWhileWaveRuns() {
    // GIVEN the same ratio, but with targets still in flight
    WavePolicy policy = new WavePolicy(List.of(1, 100), null, 20.0);

    // WHEN the engine decides
    Decision d = policy.decide(0, p(1000, 10, 3, false, 2, 1, false));

    // THEN it waits for the wave
    assertThat(d.action()).isEqualTo(Action.DISPATCH);
  }

  /** Without maxFailurePercent nothing ever halts, however many targets fail. */
  @Test
  void noHaltWithoutLimit() {
    // GIVEN a policy without failure limit and a wave where everything failed
    WavePolicy policy = new WavePolicy(List.of(10, 100), null, null);

    // WHEN the engine decides at the wave's end
    Decision d = policy.decide(0, p(100, 10, 0, false, 10, 10, false));

    // THEN the next wave starts
    assertThat(d.action()).isEqualTo(Action.ADVANCE_WAVE);
  }

  /** When a wave is done (nothing in flight, no online target waiting, cap released) the next wave starts with its cap. */
  @Test
  void advancesWhenWaveDone() {
    // GIVEN a finished first wave of 10 on a fleet of 1000
    // WHEN the engine decides
    Decision d = CANARY.decide(0, p(1000, 10, 0, false, 10, 0, false));

    // THEN wave 2 starts with the cumulative cap of 100
    assertThat(d.action()).isEqualTo(Action.ADVANCE_WAVE);
    assertThat(d.nextWave()).isEqualTo(1);
    assertThat(d.waveCap()).isEqualTo(100);
  }

  /** Targets whose agents are offline do not hold the wave up; an online one that waits for dispatch does. */
  @Test
  void offlinePendingTargetsDoNotHoldTheWave() {
    // GIVEN a wave whose finished targets are fine and whose other released targets wait for agents
    WaveProgress offlineOnly = p(1000, 10, 0, false, 4, 0, false);
    WaveProgress onlineWaiting = p(1000, 10, 0, true, 4, 0, false);

    // WHEN the engine decides
    // THEN offline agents let the next wave start, an online one waiting for dispatch keeps the wave open
    assertThat(CANARY.decide(0, offlineOnly).action()).isEqualTo(Action.ADVANCE_WAVE);
    assertThat(CANARY.decide(0, onlineWaiting).action()).isEqualTo(Action.DISPATCH);
  }

  /** A wave is not done before its whole cap was released. */
  @Test
  void waveNotDoneBeforeCapReleased() {
    // GIVEN fewer released than the wave's cap
    // WHEN the engine decides
    Decision d = CANARY.decide(1, p(1000, 60, 0, false, 60, 0, false));

    // THEN it keeps dispatching within the cap
    assertThat(d.action()).isEqualTo(Action.DISPATCH);
    assertThat(d.waveCap()).isEqualTo(100);
  }

  /** The last wave never advances; it dispatches until everything is done. */
  @Test
  void lastWaveKeepsDispatching() {
    // GIVEN the last wave with offline targets left
    // WHEN the engine decides
    Decision d = CANARY.decide(2, p(1000, 1000, 0, false, 990, 0, false));

    // THEN it stays in dispatch (offline targets wait until expiry)
    assertThat(d.action()).isEqualTo(Action.DISPATCH);
    assertThat(d.nextWave()).isEqualTo(2);
  }

  /** maxInFlight leaves a budget of the free places; without it the budget is unlimited. */
  @Test
  void dispatchBudget() {
    // GIVEN policies with and without an in-flight limit of 50
    WavePolicy limited = new WavePolicy(List.of(100), 50, null);
    WavePolicy unlimited = new WavePolicy(List.of(100), null, null);

    // WHEN they decide with 20 and with 70 in flight
    // THEN the limited one has 30 and then 0 places, the unlimited one no limit
    assertThat(limited.decide(0, p(1000, 1000, 20, true, 0, 0, false)).dispatchBudget()).isEqualTo(30);
    assertThat(limited.decide(0, p(1000, 1000, 70, true, 0, 0, false)).dispatchBudget()).isZero();
    assertThat(unlimited.decide(0, p(1000, 1000, 20, true, 0, 0, false)).dispatchBudget()).isEqualTo(Integer.MAX_VALUE);
  }

  /** When every target is final the rollout is complete, whatever wave it is in. */
  @Test
  void completeWhenAllTerminal() {
    // GIVEN every target finished (some unreleased ones skipped or expired), with failures within the limit
    // WHEN the engine decides
    Decision d = CANARY.decide(1, p(1000, 100, 0, false, 100, 3, true));

    // THEN the rollout is complete
    assertThat(d.action()).isEqualTo(Action.COMPLETE);
  }

  /**
   * A rollout whose failures exceed the limit ends halted even when its last results arrive all at
   * once, so that the final state does not depend on how results fall between engine ticks.
   */
  @Test
  void failuresAboveLimitHaltEvenWhenAllFinishedAtOnce() {
    // GIVEN a one-wave rollout of 10 with a 5 % limit whose results all arrived before the engine's next pass
    WavePolicy policy = new WavePolicy(List.of(100), null, 5.0);
    WaveProgress allFailed = p(10, 10, 0, false, 10, 10, true);
    WaveProgress sixFailedSoFar = p(10, 10, 4, false, 6, 6, false);

    // WHEN the engine decides on the final counts, and on counts seen one tick earlier
    Decision atOnce = policy.decide(0, allFailed);
    Decision earlier = policy.decide(0, sixFailedSoFar);

    // THEN both say halt
    assertThat(earlier.action()).isEqualTo(Action.HALT);
    assertThat(atOnce.action()).isEqualTo(Action.HALT);
  }

  /** Only a window, a failure threshold or a later wave makes the exact in-flight count matter. */
  @Test
  void theWindowMattersOnlyWithALimitAThresholdOrALaterWave() {
    // GIVEN policies with and without each of them WHEN asked THEN only those with one need the window
    assertThat(new WavePolicy(List.of(100), null, null).needsWindow(0)).isFalse();
    assertThat(new WavePolicy(List.of(10, 100), null, null).needsWindow(1)).isFalse();
    assertThat(new WavePolicy(List.of(10, 100), null, null).needsWindow(0)).isTrue();
    assertThat(new WavePolicy(List.of(100), 50, null).needsWindow(0)).isTrue();
    assertThat(new WavePolicy(List.of(100), null, 5.0).needsWindow(0)).isTrue();
  }
}
