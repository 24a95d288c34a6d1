package io.fleetcast.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The upgrade rate limit (token bucket with a one-second burst) and the cap on unfinished handshakes. */
@Timeout(10)
class UpgradeGuardTest {

  private static int takeAll(UpgradeGuard g, int attempts) {
    int ok = 0;
    for (int i = 0; i < attempts; i++) {
      if (g.tryUpgrade()) {
        ok++;
      }
    }
    return ok;
  }

  /** A fresh guard allows one second's worth of upgrades at once, then refuses. */
  @Test
  void burstIsOneSecondsWorth() {
    // GIVEN a guard of 10 upgrades per second (its clock stands still: "at once" is exact)
    UpgradeGuard g = new UpgradeGuard(10, 100, UpgradeGuard.DEFAULT_EVICT_AFTER_NANOS, new FakeClock());

    // WHEN 200 upgrades are attempted at once
    int ok = takeAll(g, 200);

    // THEN 10 pass and the next is refused
    assertThat(ok).isEqualTo(10);
    assertThat(g.tryUpgrade()).isFalse();
  }

  /** Tokens refill at the configured rate, and an idle period never stores more than the burst. */
  @Test
  void refillsAtRateUpToTheBurst() {
    // GIVEN a guard of 20 per second whose burst is used up, on a clock the test moves
    FakeClock clock = new FakeClock();
    UpgradeGuard g = new UpgradeGuard(20, 100, UpgradeGuard.DEFAULT_EVICT_AFTER_NANOS, clock);
    takeAll(g, 100);

    // WHEN 300 ms pass, and then 1.5 s
    clock.advanceMillis(300);
    int afterShortWait = takeAll(g, 100);
    clock.advanceMillis(1_500);
    int afterLongWait = takeAll(g, 100);

    // THEN 6 tokens came back, and after the long wait no more than the one-second burst
    assertThat(afterShortWait).isEqualTo(6);
    assertThat(afterLongWait).isEqualTo(20);
  }

  /** At most maxPending connections may be mid-handshake; leaving frees a place. */
  @Test
  void pendingCap() {
    // GIVEN a cap of two unfinished handshakes
    UpgradeGuard g = new UpgradeGuard(1000, 2);

    // WHEN three connections enter and one leaves
    boolean a = g.enterPending();
    boolean b = g.enterPending();
    boolean c = g.enterPending();
    int atCap = g.pending();
    g.leavePending();
    boolean d = g.enterPending();

    // THEN the third is refused without being counted, and a place is free again after leaving
    assertThat(List.of(a, b, c, d)).containsExactly(true, true, false, true);
    assertThat(atCap).isEqualTo(2);
    assertThat(g.pending()).isEqualTo(2);
  }

  /** Refused clients are told to wait 1 to 5 s, spread so that they do not return together. */
  @Test
  void retryAfterIsJittered() {
    // GIVEN a guard
    UpgradeGuard g = new UpgradeGuard(1, 1);

    // WHEN many refusals ask for a delay
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      seen.add(g.retryAfterSeconds());
    }

    // THEN every delay is within 1-5 s and they differ
    assertThat(seen).allSatisfy(s -> assertThat(s).isBetween(1, 5));
    assertThat(seen.size()).isGreaterThan(1);
  }

  /** Finished handshakes leave the eviction queue, so it does not grow with every connection ever accepted. */
  @Test
  void finishedConnectionsDoNotAccumulate() {
    // GIVEN a guard far from its cap
    UpgradeGuard guard = new UpgradeGuard(1_000_000, 2000);

    // WHEN 10,000 connections come and finish their handshakes one after the other
    for (int i = 0; i < 10_000; i++) {
      guard.enterPending(() -> { }).release();
    }

    // THEN the queue holds at most the newest one, and no place is taken
    assertThat(guard.queued()).isLessThanOrEqualTo(1);
    assertThat(guard.pending()).isZero();
  }
}
