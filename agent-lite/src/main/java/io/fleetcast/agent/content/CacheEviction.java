package io.fleetcast.agent.content;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which cached blobs to drop so that {@code incoming} more bytes fit under {@code maxBytes}
 * (pure): least recently used first, never a pinned one (being served or installed now).
 */
public final class CacheEviction {

  /** A cached blob: its hash, size and when it was last used. */
  public record Entry(String sha256, long size, Instant lastUsed) {}

  private CacheEviction() {}

  /**
   * The victims, oldest first; empty when everything fits already.
   *
   * @throws IllegalArgumentException when even evicting every unpinned entry leaves no room
   */
  public static List<String> victims(List<Entry> entries, long maxBytes, long incoming, Set<String> pinned) {
    long used = entries.stream().mapToLong(Entry::size).sum();
    List<String> out = new ArrayList<>();
    if (used + incoming <= maxBytes) {
      return out;
    }
    List<Entry> byAge = new ArrayList<>(entries);
    byAge.sort(Comparator.comparing(Entry::lastUsed).thenComparing(Entry::sha256));
    for (Entry e : byAge) {
      if (used + incoming <= maxBytes) {
        break;
      }
      if (pinned.contains(e.sha256())) {
        continue;
      }
      out.add(e.sha256());
      used -= e.size();
    }
    if (used + incoming > maxBytes) {
      throw new IllegalArgumentException("content of " + incoming + " bytes does not fit the cache of " + maxBytes
          + " bytes (" + used + " bytes in use are pinned)");
    }
    return out;
  }
}
