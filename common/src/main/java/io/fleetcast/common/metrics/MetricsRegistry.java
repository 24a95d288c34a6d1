package io.fleetcast.common.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/** The Prometheus registry of a process, with the tags every meter carries. */
public final class MetricsRegistry {
  private MetricsRegistry() {}

  /** {@code role} is gateway, node or standalone: a closed set. */
  public static PrometheusMeterRegistry create(String role) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(MeterFilter.commonTags(List.of(Tag.of("role", role))));
    return registry;
  }
}
