package io.fleetcast.node.depot;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.fleetcast.node.depot.PeerSelection.Peer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's peer-cache index (a Hazelcast map, like the wake relay index): for each
 * {@code sha256|subnet}, the at most K agents that hold the verified blob and serve it. Every
 * depot reads and writes the same map, so an agent learns its subnet's peers from whichever
 * depot it asks. Updates are compare-and-set, bounded retries.
 */
public final class PeerIndex {
  public static final String MAP = "fleetcast.content.peers";
  private static final int CAS_ATTEMPTS = 8;

  private final Vertx vertx;
  private final IMap<String, String> map;
  private final PeerSelection selection;

  public PeerIndex(Vertx vertx, HazelcastInstance hazelcast, PeerSelection selection) {
    this.vertx = vertx;
    this.map = hazelcast.getMap(MAP);
    this.selection = selection;
  }

  static String key(String sha256, String subnet) {
    return sha256 + "|" + subnet;
  }

  public Future<List<Peer>> peers(String sha256, String subnet, String requester) {
    return vertx.executeBlocking(() -> selection.offer(decode(map.get(key(sha256, subnet))), requester, Instant.now()),
        false);
  }

  /** Adds or refreshes {@code peer}; true when it is listed afterwards. */
  public Future<Boolean> announce(String sha256, String subnet, Peer peer) {
    return vertx.executeBlocking(() -> update(key(sha256, subnet), list -> selection.admit(list, peer, Instant.now()))
        .stream().anyMatch(p -> p.agentId().equals(peer.agentId())), false);
  }

  public Future<Void> withdraw(String sha256, String subnet, String agentId) {
    return vertx.executeBlocking(() -> {
      update(key(sha256, subnet), list -> selection.without(list, agentId));
      return null;
    }, false);
  }

  /** Drops every entry of a blob (its package was removed). */
  public Future<Integer> purge(String sha256) {
    return vertx.executeBlocking(() -> {
      int n = 0;
      for (String k : new ArrayList<>(map.keySet())) {
        if (k.startsWith(sha256 + "|")) {
          map.delete(k);
          n++;
        }
      }
      return n;
    }, false);
  }

  private List<Peer> update(String key, java.util.function.UnaryOperator<List<Peer>> change) {
    for (int i = 0; i < CAS_ATTEMPTS; i++) {
      String old = map.get(key);
      List<Peer> next = change.apply(decode(old));
      String encoded = encode(next);
      boolean done = old == null ? map.putIfAbsent(key, encoded) == null : map.replace(key, old, encoded);
      if (done) {
        return next;
      }
    }
    throw new IllegalStateException("peer index busy for " + key);
  }

  static List<Peer> decode(String json) {
    if (json == null) {
      return List.of();
    }
    List<Peer> out = new ArrayList<>();
    for (Object o : new JsonArray(json)) {
      JsonObject j = (JsonObject) o;
      out.add(new Peer(j.getString("agentId"), j.getString("url"), Instant.ofEpochMilli(j.getLong("at"))));
    }
    return out;
  }

  static String encode(List<Peer> peers) {
    JsonArray arr = new JsonArray();
    peers.forEach(p -> arr.add(new JsonObject().put("agentId", p.agentId()).put("url", p.url())
        .put("at", p.at().toEpochMilli())));
    return arr.encode();
  }
}
