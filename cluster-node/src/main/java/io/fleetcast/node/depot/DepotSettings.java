package io.fleetcast.node.depot;

import io.fleetcast.common.config.FleetcastConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A depot's typed settings (the {@code depot.*} catalogue entries). */
public record DepotSettings(String name, String nodeId, String host, int port, String publicUrl, String site, List<String> subnets,
    Path dir, int maxConcurrent, long syncMillis, int peersPerSubnet, Duration peerTtl, String tlsCert, String tlsKey) {

  /** {@code nodeId}: the cluster node this depot runs in, or null (the depot role). */
  public static DepotSettings from(FleetcastConfig config, String defaultName, String nodeId) {
    String host = config.isSet("depot.host") ? config.string("depot.host") : config.string("agent.host");
    Path dir = config.isSet("depot.dir") ? Path.of(config.string("depot.dir"))
        : Path.of(config.string("dataDir")).resolve("depot");
    return new DepotSettings(config.isSet("depot.name") ? config.string("depot.name") : defaultName, nodeId, host,
        config.integer("depot.port"), config.string("depot.publicUrl"), config.string("depot.site"),
        config.list("depot.subnets"), dir, config.integer("depot.maxConcurrent"), config.integer("depot.syncMillis"),
        config.integer("depot.peersPerSubnet"), Duration.ofSeconds(config.integer("depot.peerTtlSeconds")),
        config.string("agent.tlsCert"), config.string("agent.tlsKey"));
  }

  /** The depot port uses the agent port's certificate when there is one (agents already trust it). */
  public boolean tls() {
    return tlsCert != null && tlsKey != null;
  }

  /** The URL to advertise once the port is bound (a wildcard bind advertises the cluster interface). */
  public String advertised(int boundPort, String clusterHost) {
    if (publicUrl != null && !publicUrl.isBlank()) {
      return publicUrl;
    }
    String h = host.equals("0.0.0.0") || host.equals("::") ? clusterHost : host;
    return (tls() ? "https://" : "http://") + h + ":" + boundPort;
  }
}
