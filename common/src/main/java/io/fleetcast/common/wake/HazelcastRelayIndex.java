package io.fleetcast.common.wake;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.fleetcast.common.cluster.HazelcastFutures;
import io.fleetcast.common.cluster.HazelcastSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay index over the Hazelcast map {@link HazelcastSettings#SUBNETS_MAP}: key
 * {@code agentId@subnet}, value the rest of a {@link RelayIndex.Entry} as short JSON (the agent id
 * is read back from the key: every member holds a copy of these entries, and their size is part
 * of what an idle connection costs it). The map has hash indexes on
 * {@code subnet} and {@code nodeId}, so a lookup by subnet or a purge by node reads only the
 * matching entries (no scan of all agents). Calls Hazelcast offers only synchronously run on
 * worker threads, never on an event loop.
 */
public final class HazelcastRelayIndex implements RelayIndex {
  private static final int QUERY_CHUNK = 256;

  private final Vertx vertx;
  private final IMap<String, HazelcastJsonValue> map;

  public HazelcastRelayIndex(Vertx vertx, HazelcastInstance hz) {
    this.vertx = vertx;
    this.map = hz.getMap(HazelcastSettings.SUBNETS_MAP);
  }

  /** Field order is fixed: conditional removal compares the stored text. */
  static HazelcastJsonValue value(Entry e) {
    return new HazelcastJsonValue(new JsonObject().put("subnet", e.subnet()).put("nodeId", e.nodeId())
        .put("s", e.sessionId()).put("m", new JsonArray(e.macs())).encode());
  }

  static Entry entry(String key, HazelcastJsonValue v) {
    JsonObject j = new JsonObject(v.getValue());
    JsonArray m = j.getJsonArray("m", new JsonArray());
    return new Entry(key.substring(0, key.lastIndexOf('@')), j.getString("subnet"), j.getString("nodeId"),
        j.getString("s"), m.stream().map(String::valueOf).toList());
  }

  @Override
  public Future<Void> putAll(Collection<Entry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, HazelcastJsonValue> batch = new LinkedHashMap<>();
    entries.forEach(e -> batch.put(e.key(), value(e)));
    return HazelcastFutures.of(vertx, map.putAllAsync(batch));
  }

  @Override
  public Future<Integer> removeIfMatches(Collection<Entry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<Entry> copy = List.copyOf(entries);
    return vertx.executeBlocking(() -> {
      int n = 0;
      for (Entry e : copy) {
        if (map.remove(e.key(), value(e))) {
          n++;
        }
      }
      return n;
    }, false);
  }

  @Override
  public Future<Map<String, List<Entry>>> inSubnets(Collection<String> subnets) {
    if (subnets.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> all = List.copyOf(subnets);
    return vertx.executeBlocking(() -> {
      Map<String, List<Entry>> out = new HashMap<>();
      for (int i = 0; i < all.size(); i += QUERY_CHUNK) {
        String[] part = all.subList(i, Math.min(all.size(), i + QUERY_CHUNK)).toArray(new String[0]);
        for (Map.Entry<String, HazelcastJsonValue> kv : map.entrySet(Predicates.in("subnet", part))) {
          Entry e = entry(kv.getKey(), kv.getValue());
          out.computeIfAbsent(e.subnet(), k -> new ArrayList<>()).add(e);
        }
      }
      return out;
    }, false);
  }

  @Override
  public Future<List<Entry>> ofNode(String nodeId) {
    return vertx.executeBlocking(() -> {
      List<Entry> out = new ArrayList<>();
      for (Map.Entry<String, HazelcastJsonValue> kv : map.entrySet(Predicates.equal("nodeId", nodeId))) {
        out.add(entry(kv.getKey(), kv.getValue()));
      }
      return out;
    }, false);
  }

  @Override
  public Future<Integer> purgeNode(String nodeId) {
    return vertx.executeBlocking(() -> {
      int n = 0;
      for (Map.Entry<String, HazelcastJsonValue> e : map.entrySet(Predicates.equal("nodeId", nodeId))) {
        if (map.remove(e.getKey(), e.getValue())) {
          n++;
        }
      }
      return n;
    }, false);
  }
}
