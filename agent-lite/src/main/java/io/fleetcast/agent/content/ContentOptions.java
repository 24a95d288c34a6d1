package io.fleetcast.agent.content;

import java.time.Duration;
import java.util.List;

/**
 * How an agent gets package content: its site and subnet (for depot ranking and the peer cache),
 * the ranking rule, a bandwidth limit (0 = none; a rollout may set its own), the cache bound,
 * where it serves its cache to peers ({@code peerHost} null = it does not), their limits, and the
 * subnets it may download on at all (empty = anywhere; opsi's "only on the VPN").
 */
public record ContentOptions(String site, String subnet, SourceRule rule, long bandwidthKbps, long cacheMaxBytes,
    String peerHost, int peerPort, int peerMaxConcurrent, long peerMaxKbps, List<String> downloadSubnets,
    Duration probeTimeout, Duration maxSourceWait, int attemptsPerSource) {

  public ContentOptions {
    downloadSubnets = List.copyOf(downloadSubnets == null ? List.of() : downloadSubnets);
    rule = rule == null ? SourceRule.SUBNET : rule;
  }

  public static ContentOptions defaults() {
    return new ContentOptions(null, null, SourceRule.SUBNET, 0, 10L << 30, null, 0, 4, 0, List.of(),
        Duration.ofSeconds(2), Duration.ofMinutes(10), 4);
  }

  public ContentOptions withSite(String v) {
    return new ContentOptions(v, subnet, rule, bandwidthKbps, cacheMaxBytes, peerHost, peerPort, peerMaxConcurrent,
        peerMaxKbps, downloadSubnets, probeTimeout, maxSourceWait, attemptsPerSource);
  }

  public ContentOptions withSubnet(String v) {
    return new ContentOptions(site, v, rule, bandwidthKbps, cacheMaxBytes, peerHost, peerPort, peerMaxConcurrent,
        peerMaxKbps, downloadSubnets, probeTimeout, maxSourceWait, attemptsPerSource);
  }

  public ContentOptions withRule(SourceRule v) {
    return new ContentOptions(site, subnet, v, bandwidthKbps, cacheMaxBytes, peerHost, peerPort, peerMaxConcurrent,
        peerMaxKbps, downloadSubnets, probeTimeout, maxSourceWait, attemptsPerSource);
  }

  public ContentOptions withBandwidthKbps(long v) {
    return new ContentOptions(site, subnet, rule, v, cacheMaxBytes, peerHost, peerPort, peerMaxConcurrent,
        peerMaxKbps, downloadSubnets, probeTimeout, maxSourceWait, attemptsPerSource);
  }

  public ContentOptions withCacheMaxBytes(long v) {
    return new ContentOptions(site, subnet, rule, bandwidthKbps, v, peerHost, peerPort, peerMaxConcurrent,
        peerMaxKbps, downloadSubnets, probeTimeout, maxSourceWait, attemptsPerSource);
  }

  /** Serve the cache to peers on {@code host:port} (port 0 = any free one). */
  public ContentOptions withPeerServer(String host, int port, int maxConcurrent, long maxKbps) {
    return new ContentOptions(site, subnet, rule, bandwidthKbps, cacheMaxBytes, host, port, maxConcurrent, maxKbps,
        downloadSubnets, probeTimeout, maxSourceWait, attemptsPerSource);
  }

  public ContentOptions withDownloadSubnets(List<String> v) {
    return new ContentOptions(site, subnet, rule, bandwidthKbps, cacheMaxBytes, peerHost, peerPort, peerMaxConcurrent,
        peerMaxKbps, v, probeTimeout, maxSourceWait, attemptsPerSource);
  }

  /** The subnet this agent's peer cache belongs to: the configured one, else the /24 of its peer address. */
  public String effectiveSubnet() {
    if (subnet != null) {
      return subnet;
    }
    if (peerHost != null && peerHost.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
      return peerHost.substring(0, peerHost.lastIndexOf('.')) + ".0/24";
    }
    return null;
  }
}
