package io.fleetcast.common.cluster;

import io.fleetcast.common.config.FleetcastConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * TLS for the clustered event bus ({@code cluster.tlsCert}, {@code cluster.tlsKey},
 * {@code cluster.tlsCa}): every member presents its certificate and accepts only peers whose
 * certificate the configured CA issued (client authentication required both ways). Vert.x does
 * not check host names on event-bus connections, so the CA should issue certificates to cluster
 * members only. Hazelcast's own traffic is not covered (see docs/security.md).
 */
public final class EventBusTls {
  static final String[] SETTINGS = {"cluster.tlsCert", "cluster.tlsKey", "cluster.tlsCa"};

  private EventBusTls() {}

  /** True when event-bus TLS is configured; then {@code options} is set up for it. All three settings or none. */
  public static boolean apply(FleetcastConfig cfg, EventBusOptions options) {
    return apply(ClusterSettings.from(cfg), options);
  }

  /** As {@link #apply(FleetcastConfig, EventBusOptions)}, from the typed settings. */
  public static boolean apply(ClusterSettings cfg, EventBusOptions options) {
    String[] values = {cfg.tlsCert(), cfg.tlsKey(), cfg.tlsCa()};
    List<String> set = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < SETTINGS.length; i++) {
      (values[i] != null ? set : missing).add(SETTINGS[i]);
    }
    if (set.isEmpty()) {
      return false;
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("event-bus TLS needs cluster.tlsCert, cluster.tlsKey and cluster.tlsCa together; "
          + "missing " + String.join(", ", missing));
    }
    for (int i = 0; i < SETTINGS.length; i++) {
      Path p = Path.of(values[i]);
      if (!Files.isReadable(p)) {
        throw new IllegalStateException(SETTINGS[i] + ": cannot read " + p.toAbsolutePath());
      }
    }
    options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cfg.tlsCert()).setKeyPath(cfg.tlsKey()))
        .setTrustOptions(new PemTrustOptions().addCertPath(cfg.tlsCa()))
        .setClientAuth(ClientAuth.REQUIRED)
        .setTrustAll(false);
    return true;
  }
}
