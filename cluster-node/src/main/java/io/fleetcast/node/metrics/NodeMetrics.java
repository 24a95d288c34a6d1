package io.fleetcast.node.metrics;

import static io.fleetcast.common.metrics.MetricNames.*;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.fleetcast.protocol.MessageType;
import io.fleetcast.protocol.ProtocolException;
import java.time.Duration;
import java.util.List;
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
  public enum StoreOutcomeLabel { stored, duplicate, rejected, refused }

  private static final String DISCONNECTS_HELP = "Agent sessions closed, by reason";
  private static final String UPGRADES_REJECTED_HELP = "WebSocket upgrades refused, by reason";
  private static final String MESSAGES_IN_HELP = "Frames received from agents, by message type";
  private static final String MESSAGES_OUT_HELP = "Frames sent to agents, by message type";
  private static final String FRAMES_REJECTED_HELP = "Agent frames refused (connection closed), by reason";
  private static final String RESULTS_HELP = "Results received, by outcome";
  private static final String STATE_WRITES_HELP = "Batched writes to Postgres, by store";
  private static final String EVENTBUS_FAILURES_HELP = "Event-bus sends that failed or timed out, by operation";

  private final MeterRegistry registry;
  private final Counter connects;
  private final Counter duplicateSessions;
  private final Counter tasksDelivered;
  private final Counter dispatchRefused;
  private final Counter storeErrors;
  private final Counter statesRefused;
  private final Timer batchTimer;
  private final DistributionSummary batchRows;
  private final Timer ackLatency;
  /**
   * Counters by metric name, then tag value: two lookups with the callers' own (constant) strings,
   * whose hash codes are cached, instead of a key built and hashed per message (among the callers
   * of the string hashing that took 4 % of a node's samples in a fan-out profile).
   */
  private final Map<String, Map<String, Counter>> cache = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger paused = new java.util.concurrent.atomic.AtomicInteger();

  public NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
    io.micrometer.core.instrument.Gauge.builder(BACKPRESSURE_PAUSED, paused, java.util.concurrent.atomic.AtomicInteger::get)
        .description("Agent sockets not being read because result writes lag (back-pressure)").register(registry);
    this.connects = Counter.builder(AGENT_CONNECTS).description("Agent sessions opened (hello accepted)").register(registry);
    this.duplicateSessions = Counter.builder(DUPLICATE_SESSIONS)
        .description("Connections that replaced a live session of the same agent (possible clones)").register(registry);
    this.tasksDelivered = Counter.builder(TASKS_DELIVERED).description("Task frames written to agent sockets")
        .register(registry);
    this.dispatchRefused = Counter.builder(DISPATCH_REFUSED)
        .description("Dispatch messages refused because this node has lost the cluster majority").register(registry);
    this.storeErrors = Counter.builder(RESULT_STORE_ERRORS).description("Failed result batch writes (retried)")
        .register(registry);
    this.statesRefused = Counter.builder(io.fleetcast.common.metrics.MetricNames.TARGET_STATES_REFUSED)
        .description("Acks and progress reports for a task that was never dispatched to the agent (ignored)")
        .register(registry);
    this.batchTimer = Timer.builder(RESULT_BATCH).description("Time to write one result batch to Postgres")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    this.batchRows = DistributionSummary.builder(RESULT_BATCH_ROWS).description("Rows per result batch")
        .baseUnit("rows").register(registry);
    this.ackLatency = Timer.builder(RESULT_ACK_LATENCY).description("Result frame received to resultAck sent")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    registerTagValuesAtZero();
  }

  /**
   * Registers every closed-set tag value up front, so that each series exists (at 0) from the
   * start: rate() and alert expressions then see a real 0 instead of no data, and the metrics
   * reference check in ops/ sees the whole set.
   */
  private void registerTagValuesAtZero() {
    for (DisconnectReason r : DisconnectReason.values()) {
      counter(AGENT_DISCONNECTS, DISCONNECTS_HELP, "reason", r.label);
    }
    for (UpgradeRejection r : UpgradeRejection.values()) {
      counter(UPGRADES_REJECTED, UPGRADES_REJECTED_HELP, "reason", r.label);
    }
    for (StoreOutcomeLabel o : StoreOutcomeLabel.values()) {
      counter(RESULTS_STORED, RESULTS_HELP, "outcome", o.name());
    }
    for (String t : List.of(MessageType.HELLO, MessageType.FACTS, MessageType.ACK, MessageType.PROGRESS,
        MessageType.RESULT, MessageType.WAKE_DONE, "unknown")) {
      counter(MESSAGES_IN, MESSAGES_IN_HELP, "type", t);
    }
    for (String t : List.of(MessageType.WELCOME, MessageType.TASK, MessageType.RESULT_ACK, MessageType.CANCEL,
        MessageType.WAKE_RELAY, MessageType.RECONNECT)) {
      counter(MESSAGES_OUT, MESSAGES_OUT_HELP, "type", t);
    }
    for (ProtocolException.Reason r : ProtocolException.Reason.values()) {
      counter(FRAMES_REJECTED, FRAMES_REJECTED_HELP, "reason", r.label());
    }
    for (String r : List.of("invalid_utf8", "bad_frame")) { // raised by the frame decoder, before any JSON
      counter(FRAMES_REJECTED, FRAMES_REJECTED_HELP, "reason", r);
    }
    for (String store : List.of("results", "presence", "target_states")) {
      counter(STATE_WRITES, STATE_WRITES_HELP, "store", store);
    }
    for (String op : List.of("announce", "supersede")) {
      counter(EVENTBUS_FAILURES, EVENTBUS_FAILURES_HELP, "op", op);
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
  }

  private Counter counter(String name, String description, String tagKey, String tagValue) {
    return cache.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).computeIfAbsent(tagValue,
        k -> Counter.builder(name).description(description).tag(tagKey, tagValue).register(registry));
  }

  /** One socket stopped (+1) or resumed (-1) reading because of back-pressure. */
  public void backpressure(int delta) {
    paused.addAndGet(delta);
  }

  public void connected() {
    connects.increment();
  }

  public void disconnected(DisconnectReason reason) {
    counter(AGENT_DISCONNECTS, DISCONNECTS_HELP, "reason", reason.label).increment();
  }

  public void upgradeRejected(UpgradeRejection reason) {
    counter(UPGRADES_REJECTED, UPGRADES_REJECTED_HELP, "reason", reason.label).increment();
  }

  public void messageIn(String type) {
    counter(MESSAGES_IN, MESSAGES_IN_HELP, "type", type).increment();
  }

  public void messageOut(String type) {
    counter(MESSAGES_OUT, MESSAGES_OUT_HELP, "type", type).increment();
  }

  public void messagesOut(String type, int n) {
    counter(MESSAGES_OUT, MESSAGES_OUT_HELP, "type", type).increment(n);
  }

  public void frameRejected(String reason) {
    counter(FRAMES_REJECTED, FRAMES_REJECTED_HELP, "reason", reason).increment();
  }

  public void duplicateSession() {
    duplicateSessions.increment();
  }

  public void dispatchRefused() {
    dispatchRefused.increment();
  }

  public void tasksDelivered(int n) {
    tasksDelivered.increment(n);
  }

  /** Acks or progress reports refused: the task was not dispatched to the agent that reported it. */
  public void targetStatesRefused(int n) {
    statesRefused.increment(n);
  }

  public void resultOutcome(StoreOutcomeLabel outcome) {
    counter(RESULTS_STORED, RESULTS_HELP, "outcome", outcome.name()).increment();
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
    counter(STATE_WRITES, STATE_WRITES_HELP, "store", store).increment();
  }

  public void eventBusFailure(String op) {
    counter(EVENTBUS_FAILURES, EVENTBUS_FAILURES_HELP, "op", op).increment();
  }
}
