package io.fleetcast.common.location;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
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
 * The registry over a Hazelcast {@link IMap} of agent -> location, both in {@link LocationCodec}'s
 * compact form. Calls that
 * Hazelcast only offers synchronously run on worker threads, never on an event loop.
 */
public final class HazelcastAgentLocations implements AgentLocationRegistry {

  /** Below this many keys one getAll is cheaper than grouping them by partition first. */
  private static final int GROUP_ABOVE = 256;

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final IMap<Object, byte[]> map;

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
  private Map<Object, byte[]> getAllGrouped(Set<Object> keys) {
    if (keys.size() < GROUP_ABOVE) {
      return map.getAll(keys);
    }
    Map<Integer, Set<Object>> byPartition = new HashMap<>();
    for (Object k : keys) {
      byPartition.computeIfAbsent(hz.getPartitionService().getPartition(k).getPartitionId(), p -> new HashSet<>()).add(k);
    }
    Map<Object, byte[]> out = new HashMap<>(keys.size() * 2);
    byPartition.values().forEach(part -> out.putAll(map.getAll(part)));
    return out;
  }

  @Override
  public Future<Optional<Location>> put(String agentId, Location location) {
    return HazelcastFutures.of(vertx, map.putAsync(LocationCodec.key(agentId), LocationCodec.encode(location)))
        .map(prev -> Optional.ofNullable(prev).map(LocationCodec::decode));
  }

  @Override
  public Future<Boolean> removeIfMatches(String agentId, Location location) {
    return vertx.executeBlocking(() -> map.remove(LocationCodec.key(agentId), LocationCodec.encode(location)), false);
  }

  @Override
  public Future<Optional<Location>> get(String agentId) {
    return HazelcastFutures.of(vertx, map.getAsync(LocationCodec.key(agentId))).map(v -> Optional.ofNullable(v).map(LocationCodec::decode));
  }

  @Override
  public Future<Map<String, Location>> getAll(Collection<String> agentIds) {
    if (agentIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Set<Object> keys = new HashSet<>(agentIds.size() * 2);
    agentIds.forEach(a -> keys.add(LocationCodec.key(a)));
    return vertx.executeBlocking(() -> {
      Map<Object, byte[]> raw = getAllGrouped(keys);
      Map<String, Location> out = new HashMap<>(raw.size() * 2);
      raw.forEach((k, v) -> out.put(LocationCodec.agentId(k), LocationCodec.decode(v)));
      return out;
    }, false);
  }

  @Override
  public Future<Integer> reassert(Map<String, Location> held) {
    if (held.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return vertx.executeBlocking(() -> {
      Set<Object> keys = new HashSet<>(held.size() * 2);
      held.keySet().forEach(a -> keys.add(LocationCodec.key(a)));
      Map<Object, byte[]> present = getAllGrouped(keys);
      Map<Object, byte[]> missing = new HashMap<>();
      held.forEach((a, v) -> {
        Object k = LocationCodec.key(a);
        if (!present.containsKey(k)) {
          missing.put(k, LocationCodec.encode(v));
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
      int n = 0;
      for (Map.Entry<Object, byte[]> e : map.entrySet(new LocationCodec.OnNode(nodeId))) {
        if (map.remove(e.getKey(), e.getValue())) {
          n++;
        }
      }
      return n;
    }, false);
  }
}
