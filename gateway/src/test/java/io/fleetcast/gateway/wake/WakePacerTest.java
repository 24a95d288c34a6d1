package io.fleetcast.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pacing with a simulated clock: per-subnet and overall rates, fairness, queue limit, large jobs. */
@Timeout(10)
class WakePacerTest {
  static final long SECOND = 1_000_000_000L;

  /** Runs the pacer for {@code seconds} in 10 ms steps; yields release times (ns) per subnet. */
  static Map<String, List<Long>> run(WakePacer<String> pacer, double seconds) {
    Map<String, List<Long>> out = new HashMap<>();
    for (long t = 0; t <= seconds * SECOND; t += SECOND / 100) {
      for (WakePacer.Item<String> item : pacer.release(t)) {
        out.computeIfAbsent(item.subnet(), k -> new ArrayList<>()).add(t);
      }
    }
    return out;
  }

  /** At most N per second into one subnet (after the first second's burst). */
  @Test
  void limitsEachSubnet() {
    WakePacer<String> pacer = new WakePacer<>(1000, 10, 10_000, 0);
    for (int i = 0; i < 100; i++) {
      pacer.offer("10.1.1.0/24", 1, "p" + i, false);
    }
    Map<String, List<Long>> released = run(pacer, 5.0);
    // 10 of burst at once, then 10 per second: 60 within 5 s
    assertThat(released.get("10.1.1.0/24")).hasSizeBetween(59, 61);
    assertThat(pacer.queued()).isBetween(39L, 41L);
  }

  /** The overall limit holds over many subnets, and subnets share it round robin. */
  @Test
  void limitsOverallAndIsFairAcrossSubnets() {
    WakePacer<String> pacer = new WakePacer<>(20, 1000, 10_000, 0);
    for (int s = 0; s < 4; s++) {
      for (int i = 0; i < 100; i++) {
        pacer.offer("10.1." + s + ".0/24", 1, "p", false);
      }
    }
    Map<String, List<Long>> released = run(pacer, 3.0);
    int total = released.values().stream().mapToInt(List::size).sum();
    // 20 of burst, then 20 per second: 80 within 3 s, about 20 per subnet
    assertThat(total).isBetween(79, 81);
    assertThat(released).hasSize(4);
    released.values().forEach(l -> assertThat(l.size()).isBetween(19, 21));
  }

  /** A job costing more than a bucket holds still runs (when the bucket is full) and then slows what follows. */
  @Test
  void largeJobsAreSlowedNotStuck() {
    WakePacer<String> pacer = new WakePacer<>(100, 2, 10_000, 0);
    pacer.offer("s", 6, "big", false);
    pacer.offer("s", 1, "small", false);
    List<WakePacer.Item<String>> first = pacer.release(0);
    assertThat(first).extracting(WakePacer.Item::job).containsExactly("big");
    // the bucket is 4 tokens in debt: the next packet waits ~2.5 s
    assertThat(pacer.release(2 * SECOND)).isEmpty();
    assertThat(pacer.nextRelease(2 * SECOND)).isBetween(SECOND / 2 - SECOND / 100, SECOND / 2 + SECOND / 100);
    assertThat(pacer.release(3 * SECOND)).extracting(WakePacer.Item::job).containsExactly("small");
    assertThat(pacer.nextRelease(3 * SECOND)).isEqualTo(-1);
  }

  /** The queue refuses what exceeds its limit, unless forced (repeats of packets already accepted). */
  @Test
  void queueIsBounded() {
    WakePacer<String> pacer = new WakePacer<>(1, 1, 5, 0);
    assertThat(pacer.offer("s", 3, "a", false)).isTrue();
    assertThat(pacer.fits(3)).isFalse();
    assertThat(pacer.offer("s", 3, "b", false)).isFalse();
    assertThat(pacer.offer("s", 3, "c", true)).isTrue();
    assertThat(pacer.queued()).isEqualTo(6);
  }
}
