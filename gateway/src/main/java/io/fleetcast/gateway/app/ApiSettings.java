package io.fleetcast.gateway.app;

import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.common.config.PublicUrls;

/**
 * The {@code api.*} settings of the gateway's HTTP port (its request limits: {@code ApiLimits}).
 *
 * @param publicUrl the configured base URL, or null (derived from the bound port)
 * @param clusterHost the interface advertised in place of a wildcard bind ({@code cluster.host})
 * @param tlsCert null when the API is plain http (dev mode; then tlsKey is null too)
 */
public record ApiSettings(String host, int port, String publicUrl, String clusterHost, String tlsCert, String tlsKey,
    int rateLimitPerSecond) {

  public static ApiSettings from(FleetcastConfig c) {
    return new ApiSettings(c.string("api.host"), c.integer("api.port"), c.isSet("api.publicUrl") ? c.string("api.publicUrl") : null,
        c.string("cluster.host"), c.isSet("api.tlsCert") ? c.string("api.tlsCert") : null,
        c.isSet("api.tlsKey") ? c.string("api.tlsKey") : null, c.integer("api.rateLimitPerSecond"));
  }

  public boolean tls() {
    return tlsCert != null;
  }

  /** The base URL handed to tools and agents once the port is bound. */
  public String advertisedUrl(int boundPort) {
    return PublicUrls.of(publicUrl, host, clusterHost, tls() ? "https" : "http", boundPort, "");
  }
}
