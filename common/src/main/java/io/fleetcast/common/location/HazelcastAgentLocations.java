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

  private final Vertx vertx;
  private final IMap<String, String> map;

  public HazelcastAgentLocations(Vertx vertx, HazelcastInstance hz) {
    this.vertx = vertx;
    this.map = hz.getMap(HazelcastSettings.LOCATIONS_MAP);
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
      Map<String, String> raw = map.getAll(keys);
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
      Map<String, String> present = map.getAll(held.keySet());
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
