package io.fleetcast.agent.content;

import io.fleetcast.protocol.net.Subnet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Orders an install's sources for one agent (pure: the probe results are an input). Peers first
 * (they are in the agent's subnet), then depots by {@link SourceRule}, the origin last; a depot
 * the probe could not reach goes after every reachable one, but stays as a last resort.
 */
public final class SourceRanking {
  /** Probe result for a source that did not answer. */
  public static final long UNREACHABLE = Long.MAX_VALUE;

  private final SourceRule rule;
  private final String site;
  private final List<String> addresses;

  public SourceRanking(SourceRule rule, String site, List<String> addresses) {
    this.rule = rule;
    this.site = site;
    this.addresses = List.copyOf(addresses);
  }

  /** Whether the depot is "near": same site, or serving a subnet the agent has an address in. */
  public boolean near(Source s) {
    if (site != null && site.equals(s.site())) {
      return true;
    }
    for (String cidr : s.subnets()) {
      for (String a : addresses) {
        if (contains(cidr, a)) {
          return true;
        }
      }
    }
    return false;
  }

  public List<Source> rank(List<Source> peers, List<Source> depots, Map<String, Long> latencyMillis) {
    List<Source> out = new ArrayList<>(peers);
    List<Source> regular = depots.stream().filter(d -> d.kind() != Source.Kind.ORIGIN).toList();
    List<Source> origins = depots.stream().filter(d -> d.kind() == Source.Kind.ORIGIN).toList();
    Comparator<Source> byLatency = Comparator.comparingLong(s -> latencyMillis.getOrDefault(s.name(), UNREACHABLE));
    Comparator<Source> reachableFirst = Comparator.comparingInt(s -> reachable(s, latencyMillis) ? 0 : 1);
    Comparator<Source> order = switch (rule) {
      case SUBNET -> reachableFirst.thenComparingInt((Source s) -> near(s) ? 0 : 1).thenComparing(byLatency);
      case LATENCY -> byLatency;
      case FIRST_REACHABLE -> reachableFirst;
    };
    List<Source> sorted = new ArrayList<>(regular);
    sorted.sort(order); // stable: equal sources keep the gateway's order
    out.addAll(sorted);
    List<Source> o = new ArrayList<>(origins);
    o.sort(reachableFirst);
    out.addAll(o);
    return out;
  }

  private static boolean reachable(Source s, Map<String, Long> latency) {
    return latency.getOrDefault(s.name(), UNREACHABLE) != UNREACHABLE;
  }

  static boolean contains(String cidr, String address) {
    try {
      return Subnet.parseOrHost(cidr).contains(address);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
