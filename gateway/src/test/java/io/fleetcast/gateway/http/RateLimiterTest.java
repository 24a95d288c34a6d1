package io.fleetcast.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-token request limit: bursts of twice the rate, then a wait in whole seconds. */
@Timeout(10)
class RateLimiterTest {

  /** A token may burst to twice its rate; the next request is told to wait a whole second. */
  @Test
  void burstThenWait() {
    // GIVEN 5 requests per second
    RateLimiter limiter = new RateLimiter(5);

    // WHEN 10 requests arrive at once, then one more
    int allowed = 0;
    for (int i = 0; i < 10; i++) {
      if (limiter.acquire("token-a") == 0) {
        allowed++;
      }
    }
    int wait = limiter.acquire("token-a");

    // THEN the burst of 10 passes and the 11th is told to retry after 1 s
    assertThat(allowed).isEqualTo(10);
    assertThat(wait).isEqualTo(1);
  }

  /** Tokens are limited independently. */
  @Test
  void perToken() {
    // GIVEN one token that used up its burst
    RateLimiter limiter = new RateLimiter(1);
    limiter.acquire("a");
    limiter.acquire("a");

    // WHEN it and another token ask
    // THEN only the exhausted one waits
    assertThat(limiter.acquire("a")).isPositive();
    assertThat(limiter.acquire("b")).isZero();
  }

  /** Allowance refills with time at the configured rate. */
  @Test
  void refills() throws Exception {
    // GIVEN an exhausted token at 20 per second
    RateLimiter limiter = new RateLimiter(20);
    while (limiter.acquire("a") == 0) {
      // use up the burst
    }

    // WHEN 150 ms pass
    Thread.sleep(150);

    // THEN a couple of requests pass again
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isZero();
  }

  /** A rate below one is treated as one per second, never as a ban. */
  @Test
  void zeroRateMeansOne() {
    // GIVEN a misconfigured rate of zero
    RateLimiter limiter = new RateLimiter(0);

    // WHEN requests arrive
    // THEN a burst of two passes and the wait is a whole second
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isEqualTo(1);
  }
}
