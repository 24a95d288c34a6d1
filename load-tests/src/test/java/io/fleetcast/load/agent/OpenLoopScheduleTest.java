package io.fleetcast.load.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {
  private static final long SECOND = 1_000_000_000L;

  /** Agent i of N sends once every N/R seconds: the agents together offer R results per second. */
  @Test
  void periodIsAgentsOverRate() {
    assertThat(OpenLoopSchedule.forRate(10_000, 10_000).periodNanos()).isEqualTo(SECOND);
    assertThat(OpenLoopSchedule.forRate(2_000, 4_000).periodNanos()).isEqualTo(SECOND / 2);
    assertThat(OpenLoopSchedule.forRate(100, 1_000).periodNanos()).isEqualTo(SECOND / 10);
    assertThat(OpenLoopSchedule.forRate(60_000, 30_000).periodNanos()).isEqualTo(2 * SECOND);
  }

  /** Send k is due at start + phase + k periods, however late the earlier sends went out. */
  @Test
  void dueTimesAreAbsolute() {
    OpenLoopSchedule s = new OpenLoopSchedule(250);
    assertThat(s.dueNanos(1_000, 40, 0)).isEqualTo(1_040);
    assertThat(s.dueNanos(1_000, 40, 1)).isEqualTo(1_290);
    assertThat(s.dueNanos(1_000, 40, 4)).isEqualTo(2_040);
    assertThat(new OpenLoopSchedule(2 * SECOND).dueNanos(0, 0, 1_500)).isEqualTo(3_000 * SECOND);
  }

  /**
   * With random phases the aggregate is smooth: 10,000 agents at 10,000/s put about 1,000 sends
   * in every 100 ms of a 3 s window, never a burst at each period's start.
   */
  @Test
  void randomPhasesSpreadTheSendsEvenly() {
    OpenLoopSchedule s = OpenLoopSchedule.forRate(10_000, 10_000);
    long bucket = SECOND / 10;
    int[] perBucket = new int[30];
    for (int agent = 0; agent < 10_000; agent++) {
      long phase = s.randomPhaseNanos();
      assertThat(phase).isBetween(0L, s.periodNanos() - 1);
      for (int k = 0; ; k++) {
        long due = s.dueNanos(0, phase, k);
        if (due >= perBucket.length * bucket) {
          break;
        }
        perBucket[(int) (due / bucket)]++;
      }
    }
    int total = 0;
    for (int n : perBucket) {
      assertThat(n).isBetween(850, 1_150);
      total += n;
    }
    assertThat(total).isEqualTo(30_000);
  }

  /** Pre-provisioned steps cover the sends of the run with 1.5x headroom, and never fewer than 10. */
  @Test
  void stepsCoverTheRunWithHeadroom() {
    assertThat(OpenLoopSchedule.forRate(10_000, 10_000).stepsFor(40)).isEqualTo(60);
    assertThat(OpenLoopSchedule.forRate(2_000, 2_000).stepsFor(13)).isEqualTo(20);
    assertThat(OpenLoopSchedule.forRate(60_000, 1_000).stepsFor(30)).isEqualTo(10);
    OpenLoopSchedule s = OpenLoopSchedule.forRate(3_000, 7_000);
    long sendsOfAnAgentWithPhaseZero = 40 * SECOND / s.periodNanos() + 1;
    assertThat((long) s.stepsFor(40)).isGreaterThanOrEqualTo(sendsOfAnAgentWithPhaseZero);
  }

  /** A rate or agent count of zero is not a schedule (0 means the closed loop, which has none). */
  @Test
  void rejectsZero() {
    assertThatThrownBy(() -> OpenLoopSchedule.forRate(10, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OpenLoopSchedule.forRate(0, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpenLoopSchedule(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
