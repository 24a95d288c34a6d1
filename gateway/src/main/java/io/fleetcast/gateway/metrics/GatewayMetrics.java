package io.fleetcast.gateway.metrics;

import static io.fleetcast.common.metrics.MetricNames.*;

import io.fleetcast.common.rollout.RolloutState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The meters of a gateway. Tag values are closed sets. */
public final class GatewayMetrics {
  private static final String EVENTBUS_FAILURES_HELP = "Event-bus sends that failed or timed out, by operation";
  private static final String TRANSITIONS_HELP = "Rollout state changes, by new state";
  private static final String API_REJECTED_HELP = "API requests refused, by reason";
  private static final String ENROLLMENTS_HELP = "Enrollment attempts, by outcome";
  private static final String AUTH_FAILURES_HELP = "Failed authentications (a credential was sent and refused), by credential";
  private static final String STREAMS_CLOSED_HELP = "Event streams closed by the server, by reason";
  /** Reasons of {@code fleetcast_api_rejected_total}. */
  public static final List<String> REJECT_REASONS = List.of("unauthorized", "forbidden", "rate_limited", "too_large",
      "invalid", "auth_throttled", "timeout", "too_many_connections", "method_not_allowed", "bad_framing");
  public static final List<String> CREDENTIALS = List.of("api_token", "enrollment_token", "agent_credential");

  private final MeterRegistry registry;
  private final Counter dispatched;
  private final Counter redispatches;
  private final Counter purged;
  private final Timer routing;
  private Counter coalesced;
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
    registerTagValuesAtZero();
  }

  /**
   * Registers every closed-set tag value up front, so that each series exists (at 0) from the
   * start: increase() in alerts and dashboards sees the first event, and the metrics reference
   * check in ops/ sees the whole set. (API request counts stay lazy: method x status.)
   */
  private void registerTagValuesAtZero() {
    counter(EVENTBUS_FAILURES, EVENTBUS_FAILURES_HELP, "op", "dispatch");
    for (RolloutState state : RolloutState.values()) {
      counter(ROLLOUT_TRANSITIONS, TRANSITIONS_HELP, "state", state.wire());
    }
    for (String reason : REJECT_REASONS) {
      counter(API_REJECTED, API_REJECTED_HELP, "reason", reason);
    }
    for (String outcome : List.of("enrolled", "unauthorized", "forbidden", "refused", "invalid", "throttled")) {
      counter(ENROLLMENTS, ENROLLMENTS_HELP, "outcome", outcome);
    }
    for (String credential : CREDENTIALS) {
      counter(API_AUTH_FAILURES, AUTH_FAILURES_HELP, "credential", credential);
    }
    for (String reason : List.of("revoked", "slow_consumer")) {
      counter(API_STREAMS_CLOSED, STREAMS_CLOSED_HELP, "reason", reason);
    }
    coalesced = Counter.builder(API_STREAM_EVENTS_COALESCED)
        .description("Progress events not written to a stream whose client was not reading (the next one carries the counts)")
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
    counter(EVENTBUS_FAILURES, EVENTBUS_FAILURES_HELP, "op", op).increment();
  }

  public void transition(String to) {
    counter(ROLLOUT_TRANSITIONS, TRANSITIONS_HELP, "state", to).increment();
  }

  /** {@code status} is the class: 2xx, 4xx, 5xx. */
  private static final java.util.Set<String> METHODS = java.util.Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD",
      "OPTIONS");

  /** Rollouts by state, refreshed from Postgres (every gateway reports the same numbers; use max()). */
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> rolloutsByState = new ConcurrentHashMap<>();

  public void rolloutsByState(Map<String, Integer> counts) {
    for (RolloutState s : RolloutState.values()) {
      String state = s.wire();
      rolloutsByState.computeIfAbsent(state, st -> {
        java.util.concurrent.atomic.AtomicInteger v = new java.util.concurrent.atomic.AtomicInteger();
        io.micrometer.core.instrument.Gauge.builder(ROLLOUTS, v, java.util.concurrent.atomic.AtomicInteger::get)
            .description("Rollouts by state").tag("state", st).register(registry);
        return v;
      }).set(counts.getOrDefault(state, 0));
    }
  }

  public void request(String rawMethod, String statusClass) {
    // the method is client input: keep the label a closed set
    String method = METHODS.contains(rawMethod) ? rawMethod : "OTHER";
    cache.computeIfAbsent(API_REQUESTS + "|" + method + "|" + statusClass, x -> Counter.builder(API_REQUESTS)
        .description("API requests, by method and status class").tag("method", method).tag("status", statusClass)
        .register(registry)).increment();
  }

  public void rejected(String reason) {
    counter(API_REJECTED, API_REJECTED_HELP, "reason", reason).increment();
  }

  /** A credential was presented and refused ({@code credential}: one of {@link #CREDENTIALS}). */
  public void authFailure(String credential) {
    counter(API_AUTH_FAILURES, AUTH_FAILURES_HELP, "credential", credential).increment();
  }

  public void streamClosed(String reason) {
    counter(API_STREAMS_CLOSED, STREAMS_CLOSED_HELP, "reason", reason).increment();
  }

  public void streamEventCoalesced() {
    coalesced.increment();
  }

  public void enrollment(String outcome) {
    counter(ENROLLMENTS, ENROLLMENTS_HELP, "outcome", outcome).increment();
  }
}
