package io.fleetcast.agent.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  /** The window doubles per failure from the base and stops at the cap. */
  @Test
  void windowGrowsExponentiallyToCap() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.999999);
    long[] expected = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
    for (long e : expected) {
      assertThat(b.nextDelayMillis()).isBetween(e - 1, e);
    }
  }

  /** Full jitter: delays are spread over the whole window [0, ceiling), not bunched near it. */
  @Test
  void fullJitterSpreadsOverWholeWindow() {
    Random rnd = new Random(42);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), rnd::nextDouble);
      for (int k = 0; k < 5; k++) {
        b.nextDelayMillis();
      }
      long d = b.nextDelayMillis(); // 6th failure: window 32 s
      assertThat(d).isBetween(0L, 32_000L);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isLessThan(1_000);
    assertThat(max).isGreaterThan(31_000);
  }

  /** Reset after a stable connection starts again from the base. */
  @Test
  void resetStartsOver() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.999);
    for (int i = 0; i < 10; i++) {
      b.nextDelayMillis();
    }
    b.reset();
    assertThat(b.nextDelayMillis()).isLessThan(1000);
    assertThat(b.failures()).isEqualTo(1);
  }

  /** Refusals (401/403) wait between half the cap and the cap; Retry-After is a minimum. */
  @Test
  void capDelayAndRetryAfter() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0);
    assertThat(b.capDelayMillis()).isEqualTo(30_000);
    Backoff c = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.5);
    assertThat(c.retryAfterMillis(7)).isEqualTo(7_500);
  }

  /** Retry-After as seconds or as an HTTP date; garbage is ignored. */
  @Test
  void parsesRetryAfter() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(RetryAfter.seconds("12", now)).isEqualTo(12);
    assertThat(RetryAfter.seconds("Thu, 01 Jan 2026 00:00:30 GMT", now)).isEqualTo(30);
    assertThat(RetryAfter.seconds("soon", now)).isEqualTo(-1);
    assertThat(RetryAfter.seconds(null, now)).isEqualTo(-1);
  }
}
