package io.fleetcast.agent.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThrottleTest {
  /** Zero means unlimited: never a pause. */
  @Test
  void zeroIsUnlimited() {
    Throttle t = Throttle.kbps(0, 0);
    assertThat(t.unlimited()).isTrue();
    assertThat(t.take(1 << 30, 0)).isZero();
  }

  /** After the burst, the pause is what the rate needs for the bytes taken (1 MB/s: 1 MB more = ~1 s). */
  @Test
  void pausesForTheRate() {
    Throttle t = new Throttle(1_000_000, 0);
    assertThat(t.take(250_000, 0)).isZero(); // the quarter-second burst
    long pause = t.take(1_000_000, 0);
    assertThat(pause).isBetween(990L, 1010L);
    // after waiting that long, the debt is paid
    assertThat(t.take(1, pause * 1_000_000L + 1_000_000)).isZero();
  }
}
