package io.fleetcast.common.location;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A single-process registry with the same semantics, for unit tests of the code that uses one. */
public final class InMemoryAgentLocations implements AgentLocationRegistry {
  private final ConcurrentHashMap<String, Location> map = new ConcurrentHashMap<>();

  @Override
  public Future<Optional<Location>> put(String agentId, Location location) {
    return Future.succeededFuture(Optional.ofNullable(map.put(agentId, location)));
  }

  @Override
  public Future<Boolean> removeIfMatches(String agentId, Location location) {
    return Future.succeededFuture(map.remove(agentId, location));
  }

  @Override
  public Future<Optional<Location>> get(String agentId) {
    return Future.succeededFuture(Optional.ofNullable(map.get(agentId)));
  }

  @Override
  public Future<Map<String, Location>> getAll(Collection<String> agentIds) {
    Map<String, Location> out = new HashMap<>();
    for (String id : agentIds) {
      Location l = map.get(id);
      if (l != null) {
        out.put(id, l);
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Integer> reassert(Map<String, Location> held) {
    int[] n = {0};
    held.forEach((k, v) -> {
      if (map.putIfAbsent(k, v) == null) {
        n[0]++;
      }
    });
    return Future.succeededFuture(n[0]);
  }

  @Override
  public Future<Integer> purgeNode(String nodeId) {
    int before = map.size();
    map.values().removeIf(l -> l.nodeId().equals(nodeId));
    return Future.succeededFuture(before - map.size());
  }
}
