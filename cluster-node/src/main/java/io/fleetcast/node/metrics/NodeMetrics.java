package io.fleetcast.node.metrics;

import static io.fleetcast.common.metrics.MetricNames.*;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The meters of a cluster node. Tag values come from closed sets (enums or constants). */
public final class NodeMetrics {

  /** Why a connection ended; metric label values. */
  public enum DisconnectReason {
    CLOSED("closed"), IDLE("idle"), PROTOCOL("protocol"), SUPERSEDED("superseded"), REVOKED("revoked"),
    DRAIN("drain"), SHUTDOWN("shutdown"), HANDSHAKE_TIMEOUT("handshake_timeout"), ERROR("error");

    public final String label;

    DisconnectReason(String label) {
      this.label = label;
    }
  }

  /** Why an upgrade request was refused; metric label values. */
  public enum UpgradeRejection {
    UNAUTHORIZED("unauthorized"), REVOKED("revoked"), RATE_LIMITED("rate_limited"),
    TOO_MANY_PENDING("too_many_pending"), BAD_REQUEST("bad_request"), NOT_READY("not_ready");

    public final String label;

    UpgradeRejection(String label) {
      this.label = label;
    }
  }

  /** What happened to a received result; metric label values. */
  public enum StoreOutcomeLabel { stored, duplicate, rejected }

  private final MeterRegistry registry;
  private final Counter connects;
  private final Counter duplicateSessions;
  private final Counter tasksDelivered;
  private final Counter storeErrors;
  private final Timer batchTimer;
  private final DistributionSummary batchRows;
  private final Timer ackLatency;
  private final Map<String, Counter> cache = new ConcurrentHashMap<>();

  public NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.connects = Counter.builder(AGENT_CONNECTS).description("Agent sessions opened (hello accepted)").register(registry);
    this.duplicateSessions = Counter.builder(DUPLICATE_SESSIONS)
        .description("Connections that replaced a live session of the same agent (possible clones)").register(registry);
    this.tasksDelivered = Counter.builder(TASKS_DELIVERED).description("Task frames written to agent sockets")
        .register(registry);
    this.storeErrors = Counter.builder(RESULT_STORE_ERRORS).description("Failed result batch writes (retried)")
        .register(registry);
    this.batchTimer = Timer.builder(RESULT_BATCH).description("Time to write one result batch to Postgres")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    this.batchRows = DistributionSummary.builder(RESULT_BATCH_ROWS).description("Rows per result batch")
        .baseUnit("rows").register(registry);
    this.ackLatency = Timer.builder(RESULT_ACK_LATENCY).description("Result frame received to resultAck sent")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
  }

  private Counter counter(String name, String description, String tagKey, String tagValue) {
    return cache.computeIfAbsent(name + '|' + tagValue,
        k -> Counter.builder(name).description(description).tag(tagKey, tagValue).register(registry));
  }

  public void connected() {
    connects.increment();
  }

  public void disconnected(DisconnectReason reason) {
    counter(AGENT_DISCONNECTS, "Agent sessions closed, by reason", "reason", reason.label).increment();
  }

  public void upgradeRejected(UpgradeRejection reason) {
    counter(UPGRADES_REJECTED, "WebSocket upgrades refused, by reason", "reason", reason.label).increment();
  }

  public void messageIn(String type) {
    counter(MESSAGES_IN, "Frames received from agents, by message type", "type", type).increment();
  }

  public void messageOut(String type) {
    counter(MESSAGES_OUT, "Frames sent to agents, by message type", "type", type).increment();
  }

  public void messagesOut(String type, int n) {
    counter(MESSAGES_OUT, "Frames sent to agents, by message type", "type", type).increment(n);
  }

  public void frameRejected(String reason) {
    counter(FRAMES_REJECTED, "Agent frames refused (connection closed), by reason", "reason", reason).increment();
  }

  public void duplicateSession() {
    duplicateSessions.increment();
  }

  public void tasksDelivered(int n) {
    tasksDelivered.increment(n);
  }

  public void resultOutcome(StoreOutcomeLabel outcome) {
    counter(RESULTS_STORED, "Results received, by outcome", "outcome", outcome.name()).increment();
  }

  public void storeError() {
    storeErrors.increment();
  }

  public Timer batchTimer() {
    return batchTimer;
  }

  public DistributionSummary batchRows() {
    return batchRows;
  }

  public Timer ackLatency() {
    return ackLatency;
  }

  public void storeWrite(String store) {
    counter(STATE_WRITES, "Batched writes to Postgres, by store", "store", store).increment();
  }

  public void eventBusFailure(String op) {
    counter(EVENTBUS_FAILURES, "Event-bus sends that failed or timed out, by operation", "op", op).increment();
  }
}
