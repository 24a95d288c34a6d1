package io.fleetcast.common.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.fleetcast.common.bus.BusCodecs;
import io.fleetcast.common.config.FleetcastConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Starts a clustered Vert.x (Hazelcast cluster manager) bound only to configured interfaces. */
public final class ClusterBoot {

  /** A clustered Vert.x and direct access to its Hazelcast member for async map operations. */
  public record Clustered(Vertx vertx, HazelcastClusterManager manager) {
    public HazelcastInstance hazelcast() {
      return manager.getHazelcastInstance();
    }
  }

  private ClusterBoot() {}

  /** {@code clusterName}: the Hazelcast cluster name, normally {@link ClusterNames#forInstallation}. */
  public static Future<Clustered> start(FleetcastConfig cfg, String clusterName, MeterRegistry registry) {
    return start(ClusterSettings.from(cfg), clusterName, registry);
  }

  public static Future<Clustered> start(ClusterSettings cfg, String clusterName, MeterRegistry registry) {
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSettings.build(cfg, clusterName));
    EventBusOptions eventBus = new EventBusOptions()
        .setHost(cfg.eventBusHost())
        .setPort(cfg.eventBusPort())
        .setClusterPublicHost(cfg.eventBusHost())
        .setClusterPingInterval(5_000)
        .setClusterPingReplyInterval(5_000);
    try {
      EventBusTls.apply(cfg, eventBus); // TLS with client authentication when cluster.tls* are set
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    VertxOptions options = new VertxOptions()
        .setEventBusOptions(eventBus)
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true))
        .setPreferNativeTransport(true);
    return Vertx.builder()
        .with(options)
        .withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(manager)
        .buildClustered()
        .map(v -> {
          BusCodecs.register(v);
          return new Clustered(v, manager);
        });
  }
}
