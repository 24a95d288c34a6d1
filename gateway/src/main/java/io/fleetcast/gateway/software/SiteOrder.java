package io.fleetcast.gateway.software;

import io.fleetcast.common.cluster.NodeInfo;
import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.common.depot.DepotStore.DepotRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Same-site ordering of nodes for enrollment and bootstrap (pure). Sites are the depots' sites:
 * an agent belongs to the site of the first depot serving a subnet it has an address in; a node
 * belongs to the site of the depot running in it ({@code depot.site}). Nodes of the
 * agent's site come first, each group keeping the load order it had.
 */
public final class SiteOrder {
  private SiteOrder() {}

  /** The agent's site, or null when no depot serves any of its addresses. */
  public static String siteOf(List<String> ips, List<DepotRow> depots) {
    for (DepotRow d : depots) {
      for (String cidr : d.subnets()) {
        for (String ip : ips) {
          if (contains(cidr, ip)) {
            return d.site();
          }
        }
      }
    }
    return null;
  }

  public static List<NodeInfo> sameSiteFirst(String site, List<NodeInfo> bestFirst, List<DepotRow> depots) {
    if (site == null) {
      return bestFirst;
    }
    Map<String, String> nodeSite = depots.stream().filter(d -> d.nodeId() != null)
        .collect(Collectors.toMap(DepotRow::nodeId, DepotRow::site, (a, b) -> a));
    List<NodeInfo> out = new ArrayList<>(bestFirst.size());
    bestFirst.stream().filter(n -> site.equals(nodeSite.get(n.nodeId()))).forEach(out::add);
    bestFirst.stream().filter(n -> !site.equals(nodeSite.get(n.nodeId()))).forEach(out::add);
    return out;
  }

  static boolean contains(String cidr, String ip) {
    try {
      return Subnet.parse(cidr).contains(ip);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
