package io.fleetcast.common.wake;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A single-process relay index with the same semantics, for unit tests of the code that uses one. */
public final class InMemoryRelayIndex implements RelayIndex {
  private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();

  @Override
  public Future<Void> putAll(Collection<Entry> entries) {
    entries.forEach(e -> map.put(e.key(), e));
    return Future.succeededFuture();
  }

  @Override
  public Future<Integer> removeIfMatches(Collection<Entry> entries) {
    int n = 0;
    for (Entry e : entries) {
      if (map.remove(e.key(), e)) {
        n++;
      }
    }
    return Future.succeededFuture(n);
  }

  @Override
  public Future<Map<String, List<Entry>>> inSubnets(Collection<String> subnets) {
    Set<String> wanted = new HashSet<>(subnets);
    Map<String, List<Entry>> out = new HashMap<>();
    for (Entry e : map.values()) {
      if (wanted.contains(e.subnet())) {
        out.computeIfAbsent(e.subnet(), k -> new ArrayList<>()).add(e);
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<List<Entry>> ofNode(String nodeId) {
    return Future.succeededFuture(map.values().stream().filter(e -> e.nodeId().equals(nodeId)).toList());
  }

  @Override
  public Future<Integer> purgeNode(String nodeId) {
    int before = map.size();
    map.values().removeIf(e -> e.nodeId().equals(nodeId));
    return Future.succeededFuture(before - map.size());
  }

  /** Everything in the index (tests). */
  public Collection<Entry> all() {
    return List.copyOf(map.values());
  }
}
