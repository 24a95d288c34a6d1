package io.fleetcast.gateway.metrics;

import static io.fleetcast.common.metrics.MetricNames.*;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The meters of a gateway. Tag values are closed sets. */
public final class GatewayMetrics {
  private final MeterRegistry registry;
  private final Counter dispatched;
  private final Counter redispatches;
  private final Counter purged;
  private final Timer routing;
  private final Map<String, Counter> cache = new ConcurrentHashMap<>();

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.dispatched = Counter.builder(TASKS_DISPATCHED).description("Targets handed to nodes for delivery")
        .register(registry);
    this.redispatches = Counter.builder(REDISPATCHES)
        .description("Targets sent again (no ack in time, or agent reconnected)").register(registry);
    this.purged = Counter.builder(LOCATIONS_PURGED).description("Location entries of departed nodes purged")
        .register(registry);
    this.routing = Timer.builder(ROUTING_LATENCY).description("Gateway -> node dispatch round trip")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  private Counter counter(String name, String description, String k, String v) {
    return cache.computeIfAbsent(name + "|" + k + "=" + v,
        x -> Counter.builder(name).description(description).tag(k, v).register(registry));
  }

  public void dispatched(int n) {
    dispatched.increment(n);
  }

  public void redispatched(int n) {
    redispatches.increment(n);
  }

  public void purged(int n) {
    purged.increment(n);
  }

  public Timer routing() {
    return routing;
  }

  public void eventBusFailure(String op) {
    counter(EVENTBUS_FAILURES, "Event-bus sends that failed or timed out, by operation", "op", op).increment();
  }

  public void transition(String to) {
    counter(ROLLOUT_TRANSITIONS, "Rollout state changes, by new state", "state", to).increment();
  }

  /** {@code status} is the class: 2xx, 4xx, 5xx. */
  public void request(String method, String statusClass) {
    cache.computeIfAbsent(API_REQUESTS + "|" + method + "|" + statusClass, x -> Counter.builder(API_REQUESTS)
        .description("API requests, by method and status class").tag("method", method).tag("status", statusClass)
        .register(registry)).increment();
  }

  public void rejected(String reason) {
    counter(API_REJECTED, "API requests refused, by reason", "reason", reason).increment();
  }

  public void enrollment(String outcome) {
    counter(ENROLLMENTS, "Enrollment attempts, by outcome", "outcome", outcome).increment();
  }
}
