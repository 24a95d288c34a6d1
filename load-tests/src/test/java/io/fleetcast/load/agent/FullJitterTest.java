package io.fleetcast.load.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FullJitterTest {

  /** The n-th delay lies in [0, min(cap, base * 2^n)) and spreads over that whole window. */
  @Test
  void delaysStayInTheFullJitterWindow() {
    long maxSeen = 0;
    long minSeen = Long.MAX_VALUE;
    for (int i = 0; i < 10_000; i++) {
      long d = FullJitter.delayMillis(1000, 60_000, 2);
      assertThat(d).isBetween(0L, 3_999L);
      maxSeen = Math.max(maxSeen, d);
      minSeen = Math.min(minSeen, d);
    }
    assertThat(minSeen).isLessThan(200);
    assertThat(maxSeen).isGreaterThan(3_800);
    assertThat(FullJitter.delayMillis(1000, 60_000, 40)).isLessThan(60_000);
  }

  /** Retry-After is a minimum; a refused credential waits between half the cap and the cap. */
  @Test
  void refusalsWaitLonger() {
    assertThat(FullJitter.retryAfterMillis(1000, 3)).isBetween(3_000L, 3_999L);
    assertThat(FullJitter.capMillis(60_000)).isBetween(30_000L, 60_000L);
  }
}
