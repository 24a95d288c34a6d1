package io.fleetcast.common.wake;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Cluster-wide "which connected agents are in subnet S": the candidates for relaying a
 * Wake-on-LAN packet to a machine in S. Soft state with the location registry's semantics:
 * each entry names the node and the one connection (session) it came from, removal is
 * conditional on that exact value, a departed node's entries are purged, and each node
 * re-asserts what it really holds. One entry per (agent, subnet).
 */
public interface RelayIndex {

  /** One connected agent in one of its subnets, as published by the node holding its socket. */
  record Entry(String agentId, String subnet, String nodeId, String sessionId, List<String> macs) {
    public Entry {
      macs = List.copyOf(macs == null ? List.of() : macs);
    }

    public String key() {
      return agentId + "@" + subnet;
    }
  }

  /** Writes (or overwrites) the entries. */
  Future<Void> putAll(Collection<Entry> entries);

  /** Removes each entry only while the index still holds exactly that value; yields how many went. */
  Future<Integer> removeIfMatches(Collection<Entry> entries);

  /** The entries of the given canonical subnets, by subnet; subnets without entries are absent. */
  Future<Map<String, List<Entry>>> inSubnets(Collection<String> subnets);

  /** Every entry published by one node (for its periodic re-assertion). */
  Future<List<Entry>> ofNode(String nodeId);

  /** Drops every entry of a node that left the cluster; yields how many. */
  Future<Integer> purgeNode(String nodeId);
}
