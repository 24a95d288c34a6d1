package io.fleetcast.common.location;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.fleetcast.common.cluster.HazelcastFutures;
import io.fleetcast.common.cluster.HazelcastSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry over a Hazelcast {@link IMap} of agentId -> "nodeId|sessionId". Calls that
 * Hazelcast only offers synchronously run on worker threads, never on an event loop.
 */
public final class HazelcastAgentLocations implements AgentLocationRegistry {

  /** Below this many keys one getAll is cheaper than grouping them by partition first. */
  private static final int GROUP_ABOVE = 256;

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final IMap<String, String> map;

  public HazelcastAgentLocations(Vertx vertx, HazelcastInstance hz) {
    this.vertx = vertx;
    this.hz = hz;
    this.map = hz.getMap(HazelcastSettings.LOCATIONS_MAP);
  }

  /**
   * {@code IMap.getAll}, one call per partition for large key sets: Hazelcast 5.3 hands every
   * partition's operation the whole key set and each one hashes all of it (keys x 271 partitions:
   * a node's periodic re-assertion of 10,000 locations was a fifth of the gateway's CPU during a
   * fan-out). Grouped first, every key is hashed about twice.
   */
  private Map<String, String> getAllGrouped(Set<String> keys) {
    if (keys.size() < GROUP_ABOVE) {
      return map.getAll(keys);
    }
    Map<Integer, Set<String>> byPartition = new HashMap<>();
    for (String k : keys) {
      byPartition.computeIfAbsent(hz.getPartitionService().getPartition(k).getPartitionId(), p -> new HashSet<>()).add(k);
    }
    Map<String, String> out = new HashMap<>(keys.size() * 2);
    byPartition.values().forEach(part -> out.putAll(map.getAll(part)));
    return out;
  }

  @Override
  public Future<Optional<Location>> put(String agentId, Location location) {
    return HazelcastFutures.of(vertx, map.putAsync(agentId, location.encode()))
        .map(prev -> Optional.ofNullable(prev).map(Location::decode));
  }

  @Override
  public Future<Boolean> removeIfMatches(String agentId, Location location) {
    return vertx.executeBlocking(() -> map.remove(agentId, location.encode()), false);
  }

  @Override
  public Future<Optional<Location>> get(String agentId) {
    return HazelcastFutures.of(vertx, map.getAsync(agentId)).map(v -> Optional.ofNullable(v).map(Location::decode));
  }

  @Override
  public Future<Map<String, Location>> getAll(Collection<String> agentIds) {
    if (agentIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Set<String> keys = agentIds instanceof Set<String> s ? s : new HashSet<>(agentIds);
    return vertx.executeBlocking(() -> {
      Map<String, String> raw = getAllGrouped(keys);
      Map<String, Location> out = new HashMap<>(raw.size() * 2);
      raw.forEach((k, v) -> out.put(k, Location.decode(v)));
      return out;
    }, false);
  }

  @Override
  public Future<Integer> reassert(Map<String, Location> held) {
    if (held.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return vertx.executeBlocking(() -> {
      Map<String, String> present = getAllGrouped(held.keySet());
      Map<String, String> missing = new HashMap<>();
      held.forEach((k, v) -> {
        if (!present.containsKey(k)) {
          missing.put(k, v.encode());
        }
      });
      if (!missing.isEmpty()) {
        map.putAll(missing);
      }
      return missing.size();
    }, false);
  }

  @Override
  public Future<Integer> purgeNode(String nodeId) {
    return vertx.executeBlocking(() -> {
      Set<String> keys = map.keySet(Predicates.like("this", nodeId.replace("%", "\\%").replace("_", "\\_") + "|%"));
      int n = 0;
      for (String k : keys) {
        String v = map.get(k);
        if (v != null && v.startsWith(nodeId + "|") && map.remove(k, v)) {
          n++;
        }
      }
      return n;
    }, false);
  }
}
