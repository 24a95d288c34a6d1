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
    if (config.isSet(prefix + ".publicUrl")) {
      return config.string(prefix + ".publicUrl");
    }
    String host = config.string(prefix + ".host");
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = config.string("cluster.host");
    }
    return scheme + "://" + host + ":" + port + path;
  }
}
