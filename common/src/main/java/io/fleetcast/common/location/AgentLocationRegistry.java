package io.fleetcast.common.location;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Cluster-wide "which node holds agent X" (soft state: rebuilt from the nodes if lost). */
public interface AgentLocationRegistry {

  /** Records the agent's new location; yields the location it replaces, if any. */
  Future<Optional<Location>> put(String agentId, Location location);

  /** Removes the entry only while it still names this exact connection. */
  Future<Boolean> removeIfMatches(String agentId, Location location);

  Future<Optional<Location>> get(String agentId);

  /** Locations of the given agents; agents not connected anywhere are absent from the map. */
  Future<Map<String, Location>> getAll(Collection<String> agentIds);

  /** Fills in entries that are missing (after a lost partition) without overwriting newer ones. */
  Future<Integer> reassert(Map<String, Location> held);

  /** Drops every entry of a node that left the cluster; yields how many. */
  Future<Integer> purgeNode(String nodeId);
}
