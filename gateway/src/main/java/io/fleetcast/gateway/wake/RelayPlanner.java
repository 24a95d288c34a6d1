package io.fleetcast.gateway.wake;

import io.fleetcast.common.location.AgentLocationRegistry;
import io.fleetcast.common.location.Location;
import io.fleetcast.common.wake.RelayIndex;
import io.fleetcast.common.wake.RelayIndex.Entry;
import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.gateway.wake.WakePlan.DirectJob;
import io.fleetcast.gateway.wake.WakePlan.Outcome;
import io.fleetcast.gateway.wake.WakePlan.Reason;
import io.fleetcast.gateway.wake.WakePlan.RelayJob;
import io.fleetcast.protocol.wake.MacAddress;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Decides how each target is woken. For each of the target's subnets: up to K online agents of
 * that subnet (from the cluster's {@link RelayIndex}, checked against the location registry so
 * that a stale entry of a departed agent is skipped; never the target itself) are asked to relay;
 * a subnet without such a relay falls back to a configured direct route; a target with neither in
 * any of its subnets is unreachable, with the reason. Relays of a subnet are taken in turn (from a
 * shuffled list), so a subnet with many targets spreads them over its relays, and each relay gets
 * one frame listing all of its targets.
 *
 * <p>Free of sockets and SQL: the index and the registry are interfaces.
 */
public final class RelayPlanner {
  private final RelayIndex index;
  private final AgentLocationRegistry locations;
  private final DirectRoutes routes;
  private final int relaysPerTarget;
  private final int port;
  private final String relayBroadcast;
  private final Random random;

  public RelayPlanner(RelayIndex index, AgentLocationRegistry locations, DirectRoutes routes, int relaysPerTarget,
      int port, String relayBroadcast, Random random) {
    this.index = index;
    this.locations = locations;
    this.routes = routes;
    this.relaysPerTarget = relaysPerTarget;
    this.port = port;
    this.relayBroadcast = relayBroadcast;
    this.random = random;
  }

  public static RelayPlanner of(WakeSettings s, RelayIndex index, AgentLocationRegistry locations) {
    return new RelayPlanner(index, locations, s.routes(), s.relaysPerTarget(), s.defaultPort(), s.relayBroadcast(),
        new Random());
  }

  /** The relays of one subnet, in the order they are handed out. */
  private static final class Pool {
    final List<Entry> relays;
    int next;

    Pool(List<Entry> relays) {
      this.relays = relays;
    }
  }

  /** @param directOnly relays may not be used (a SecureOn password only travels on the direct path) */
  public Future<WakePlan> plan(List<WakeTarget> targets, boolean directOnly) {
    Set<String> subnets = new LinkedHashSet<>();
    targets.forEach(t -> t.subnets().forEach(s -> subnets.add(s.toString())));
    Future<Map<String, List<Entry>>> candidates = directOnly || relaysPerTarget == 0
        ? Future.succeededFuture(Map.of()) : index.inSubnets(subnets);
    return candidates.compose(bySubnet -> {
      Set<String> ids = new HashSet<>();
      bySubnet.values().forEach(list -> list.forEach(e -> ids.add(e.agentId())));
      targets.forEach(t -> {
        if (t.agentId() != null) {
          ids.add(t.agentId());
        }
      });
      return locations.getAll(ids).map(online -> build(targets, bySubnet, online, directOnly));
    });
  }

  private WakePlan build(List<WakeTarget> targets, Map<String, List<Entry>> bySubnet, Map<String, Location> online,
      boolean directOnly) {
    Map<String, Pool> pools = new HashMap<>();
    bySubnet.forEach((subnet, entries) -> {
      Map<String, Entry> live = new LinkedHashMap<>();
      for (Entry e : entries) {
        if (online.containsKey(e.agentId()) && isUuid(e.agentId())) {
          live.putIfAbsent(e.agentId(), e);
        }
      }
      List<Entry> list = new ArrayList<>(live.values());
      list.sort((a, b) -> a.agentId().compareTo(b.agentId()));
      Collections.shuffle(list, random);
      pools.put(subnet, new Pool(list));
    });
    List<RelayJob> relayJobs = new ArrayList<>();
    List<DirectJob> directJobs = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    for (WakeTarget t : targets) {
      if (t.agentId() != null && online.containsKey(t.agentId())) {
        outcomes.add(new Outcome(t, Set.of(), 0, true, null, "the agent is connected"));
        continue;
      }
      if (t.macs().isEmpty()) {
        outcomes.add(new Outcome(t, Set.of(), 0, false, Reason.no_mac, "the agent reported no MAC address"));
        continue;
      }
      if (t.subnets().isEmpty()) {
        outcomes.add(new Outcome(t, Set.of(), 0, false, Reason.no_subnet, t.agentId() != null
            ? "the agent reported no subnet" : "no subnet given for this MAC and no enrolled agent reports it"));
        continue;
      }
      Set<String> used = new LinkedHashSet<>();
      int direct = 0;
      List<String> dead = new ArrayList<>();
      Set<String> sameMac = new LinkedHashSet<>();
      for (Subnet subnet : t.subnets()) {
        String key = subnet.toString();
        List<Entry> chosen = directOnly ? List.of() : choose(pools.get(key), t, sameMac);
        if (!chosen.isEmpty()) {
          String broadcast = broadcastFor(subnet);
          for (Entry relay : chosen) {
            used.add(relay.agentId());
            for (MacAddress mac : t.macs()) {
              relayJobs.add(new RelayJob(relay.agentId(), key, mac, broadcast, port, t.agentId()));
            }
          }
          continue;
        }
        List<DirectRoutes.Destination> dests = routes.lookup(subnet);
        if (!dests.isEmpty()) {
          for (DirectRoutes.Destination d : dests) {
            direct++;
            for (MacAddress mac : t.macs()) {
              directJobs.add(new DirectJob(key, mac, d.address(), d.port(), t.agentId()));
            }
          }
          continue;
        }
        dead.add(key);
      }
      if (used.isEmpty() && direct == 0) {
        String where = String.join(", ", dead);
        outcomes.add(directOnly
            ? new Outcome(t, Set.of(), 0, false, Reason.needs_direct_route, "a SecureOn password needs a direct route "
                + "(relays send plain packets), and none covers " + where)
            : new Outcome(t, Set.of(), 0, false, Reason.no_relay_or_route, noRelayMessage(t, where, sameMac)));
      } else {
        outcomes.add(new Outcome(t, Set.copyOf(used), direct, false, null, null));
      }
    }
    return new WakePlan(relayJobs, directJobs, outcomes);
  }

  /**
   * Why no relay was found: when the only candidates were left out because they report one of the
   * target's MACs (the same machine, or a clone), say so rather than "no online agent".
   */
  private static String noRelayMessage(WakeTarget t, String where, Set<String> sameMac) {
    if (!sameMac.isEmpty()) {
      return "the only online agent(s) in " + where + " (" + String.join(", ", sameMac) + ") report the target's MAC "
          + "address, so they are the target machine itself (or a clone) and cannot wake it; no direct route to it";
    }
    return "no online agent in " + where + (t.agentId() != null ? " (other than the target)" : "")
        + " and no direct route to it";
  }

  /**
   * Up to K relays of the subnet in turn, never the target itself (by agent id or by one of its
   * MACs); candidates left out for sharing a MAC with the target are added to {@code sameMac}.
   */
  private List<Entry> choose(Pool pool, WakeTarget t, Set<String> sameMac) {
    if (pool == null || pool.relays.isEmpty()) {
      return List.of();
    }
    Set<String> targetMacs = new HashSet<>();
    t.macs().forEach(m -> targetMacs.add(m.toString()));
    List<Entry> out = new ArrayList<>();
    int n = pool.relays.size();
    int examined = 0;
    while (examined < n && out.size() < relaysPerTarget) {
      Entry e = pool.relays.get((pool.next + examined) % n);
      examined++;
      if (e.agentId().equals(t.agentId())) {
        continue;
      }
      if (e.macs().stream().anyMatch(targetMacs::contains)) {
        sameMac.add(e.agentId());
      } else {
        out.add(e);
      }
    }
    pool.next = (pool.next + examined) % n;
    return out;
  }

  private String broadcastFor(Subnet subnet) {
    if (WakeSettings.BROADCAST_SUBNET.equals(relayBroadcast)) {
      return subnet.broadcast();
    }
    return WakeSettings.BROADCAST_AGENT.equals(relayBroadcast) ? null : relayBroadcast;
  }

  private static boolean isUuid(String s) {
    return io.fleetcast.protocol.AgentIds.isUuid(s);
  }
}
