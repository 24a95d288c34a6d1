package io.fleetcast.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cap on unfinished handshakes: old silent connections make room for new ones, young ones do not. */
class UpgradeGuardEvictionTest {

  /** At the cap, a newcomer evicts the oldest unfinished connection once that one is older than the eviction age. */
  @Test
  void oldUnfinishedConnectionsMakeRoom() throws Exception {
    // GIVEN a cap of three, all taken by connections that say nothing
    FakeClock clock = new FakeClock();
    UpgradeGuard g = new UpgradeGuard(1000, 3, TimeUnit.MILLISECONDS.toNanos(50), clock);
    List<Integer> evicted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int id = i;
      assertThat(g.enterPending(() -> evicted.add(id))).isNotNull();
    }
    // WHEN a newcomer arrives at once THEN it is refused: the others are young (a storm, not an attack)
    assertThat(g.enterPending(() -> evicted.add(99))).isNull();
    assertThat(evicted).isEmpty();

    // WHEN newcomers arrive after the eviction age THEN the oldest are evicted, in order, one each
    clock.advanceMillis(80);
    assertThat(g.enterPending(() -> evicted.add(3))).isNotNull();
    assertThat(g.enterPending(() -> evicted.add(4))).isNotNull();
    assertThat(evicted).containsExactly(0, 1);
    assertThat(g.pending()).isEqualTo(3);
    assertThat(g.evicted()).isEqualTo(2);
  }

  /** A released place is free again and is never released or evicted twice. */
  @Test
  void releaseIsCountedOnce() throws Exception {
    FakeClock clock = new FakeClock();
    UpgradeGuard g = new UpgradeGuard(1000, 2, TimeUnit.MILLISECONDS.toNanos(10), clock);
    AtomicInteger evictions = new AtomicInteger();
    UpgradeGuard.Pending a = g.enterPending(evictions::incrementAndGet);
    UpgradeGuard.Pending b = g.enterPending(evictions::incrementAndGet);
    assertThat(a.release()).isTrue();
    assertThat(a.release()).isFalse();
    assertThat(g.pending()).isEqualTo(1);
    // the released one is skipped; b is the oldest live one
    clock.advanceMillis(20);
    assertThat(g.enterPending(evictions::incrementAndGet)).isNotNull();
    assertThat(g.enterPending(evictions::incrementAndGet)).isNotNull();
    assertThat(evictions.get()).isEqualTo(1);
    assertThat(b.release()).as("already evicted").isFalse();
    assertThat(g.pending()).isEqualTo(2);
  }
}
