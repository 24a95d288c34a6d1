package io.fleetcast.agent.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.agent.content.CacheEviction.Entry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CacheEvictionTest {
  static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
  static final List<Entry> ENTRIES = List.of(new Entry("b", 40, T.plusSeconds(20)), new Entry("a", 40, T),
      new Entry("c", 40, T.plusSeconds(30)));

  /** Nothing is evicted while the new blob fits. */
  @Test
  void nothingEvictedWhenItFits() {
    assertThat(CacheEviction.victims(ENTRIES, 200, 80, Set.of())).isEmpty();
  }

  /** The least recently used go first, only as many as needed. */
  @Test
  void leastRecentlyUsedFirst() {
    assertThat(CacheEviction.victims(ENTRIES, 150, 60, Set.of())).containsExactly("a");
    assertThat(CacheEviction.victims(ENTRIES, 150, 100, Set.of())).containsExactly("a", "b");
  }

  /** A pinned blob (being installed or served) is skipped. */
  @Test
  void pinnedIsNeverEvicted() {
    assertThat(CacheEviction.victims(ENTRIES, 150, 60, Set.of("a"))).containsExactly("b");
  }

  /** A blob larger than what can be freed is a clear error, not a silent overflow. */
  @Test
  void tooLargeIsRefused() {
    assertThatThrownBy(() -> CacheEviction.victims(ENTRIES, 100, 90, Set.of("c")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
  }
}
