package io.fleetcast.common.config;

/**
 * The URL a listener advertises: its {@code <prefix>.publicUrl} when set, else built from the
 * bound host. A wildcard bind address is no address to hand out, so the cluster's own interface
 * stands in for it.
 */
public final class PublicUrls {
  private PublicUrls() {}

  /** {@code prefix} is "api" or "agent"; {@code path} is appended after the port. */
  public static String of(FleetcastConfig config, String prefix, String scheme, int port, String path) {
    return of(config.isSet(prefix + ".publicUrl") ? config.string(prefix + ".publicUrl") : null,
        config.string(prefix + ".host"), config.string("cluster.host"), scheme, port, path);
  }

  /** {@code publicUrl} (null or blank: unset) wins; else the bound {@code host}, the cluster's for a wildcard. */
  public static String of(String publicUrl, String host, String clusterHost, String scheme, int port, String path) {
    if (publicUrl != null && !publicUrl.isBlank()) {
      return publicUrl;
    }
    String h = host.equals("0.0.0.0") || host.equals("::") ? clusterHost : host;
    return scheme + "://" + h + ":" + port + path;
  }
}
