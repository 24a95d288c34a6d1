package io.fleetcast.common.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The shared per-node load table (connections, URL, state). Entries expire unless the node
 * refreshes them, so a dead node drops out of bootstrap answers on its own.
 */
public final class NodeDirectory {
  public static final int TTL_SECONDS = 10;

  private final Vertx vertx;
  private final IMap<String, String> map;

  public NodeDirectory(Vertx vertx, HazelcastInstance hz) {
    this.vertx = vertx;
    this.map = hz.getMap(HazelcastSettings.NODES_MAP);
  }

  public Future<Void> publish(NodeInfo info) {
    return HazelcastFutures.of(vertx,
        map.setAsync(info.nodeId(), info.toJson().encode(), TTL_SECONDS, TimeUnit.SECONDS));
  }

  public Future<Void> remove(String nodeId) {
    return HazelcastFutures.of(vertx, map.removeAsync(nodeId)).mapEmpty();
  }

  public Future<List<NodeInfo>> all() {
    return vertx.executeBlocking(() -> {
      List<NodeInfo> out = new ArrayList<>();
      for (String v : map.values()) {
        out.add(NodeInfo.fromJson(new JsonObject(v)));
      }
      out.sort(Comparator.comparing(NodeInfo::nodeId));
      return out;
    }, false);
  }

  /** Ready nodes, least loaded first: the order handed to agents at enrollment and bootstrap. */
  public Future<List<NodeInfo>> bestFirst() {
    return all().map(list -> list.stream()
        .filter(n -> n.state() == NodeInfo.State.READY)
        .sorted(Comparator.comparingInt(NodeInfo::connections).thenComparing(NodeInfo::nodeId))
        .toList());
  }
}
