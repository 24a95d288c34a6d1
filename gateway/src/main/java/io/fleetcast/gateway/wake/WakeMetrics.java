package io.fleetcast.gateway.wake;

import static io.fleetcast.common.metrics.MetricNames.*;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Wake-on-LAN meters of a gateway. Tag values are the enums below (closed sets); no agent
 * id, MAC or subnet is ever a tag.
 */
public final class WakeMetrics {

  /** How a packet left: relayed by an agent, or sent by this gateway. */
  public enum Path { relay, direct }

  /** Direct: the datagram was handed to the OS or not. Relay: the relay reported the MAC sent or failed. */
  public enum PacketOutcome { sent, failed }

  /**
   * What became of one wakeRelay frame: {@code asked} when it is delivered to the relay, then one
   * of {@code done} (every MAC sent), {@code failed} (the relay reported failures),
   * {@code timeout} (no wakeDone in time); {@code undelivered} when the relay was gone.
   */
  public enum RelayOutcome { asked, done, failed, timeout, undelivered }

  private final MeterRegistry registry;
  private final Timer wakeToConnect;
  private final Map<String, Counter> cache = new ConcurrentHashMap<>();

  public WakeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.wakeToConnect = Timer.builder(WAKE_TO_CONNECT)
        .description("From the first packet (or relay request) for an agent to its next connection")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100))
        .maximumExpectedValue(Duration.ofHours(1)).register(registry);
  }

  public void queueGauge(Supplier<Number> queued) {
    Gauge.builder(WAKE_QUEUED, queued).description("Magic packets waiting for their pacing slot").register(registry);
  }

  private Counter counter(String name, String description, String k1, String v1, String k2, String v2) {
    return cache.computeIfAbsent(name + "|" + v1 + "|" + v2, x -> {
      Counter.Builder b = Counter.builder(name).description(description).tag(k1, v1);
      if (k2 != null) {
        b.tag(k2, v2);
      }
      return b.register(registry);
    });
  }

  public void packets(Path path, PacketOutcome outcome, int n) {
    if (n > 0) {
      counter(WAKE_PACKETS, "Magic packets by path (relay: MACs a relay reported; direct: datagrams) and outcome",
          "path", path.name(), "outcome", outcome.name()).increment(n);
    }
  }

  public void relay(RelayOutcome outcome) {
    counter(WAKE_RELAYS, "wakeRelay frames sent to relay agents, by outcome", "outcome", outcome.name(), null, null)
        .increment();
  }

  public void unreachable(WakePlan.Reason reason) {
    counter(WAKE_UNREACHABLE, "Wake targets that could not be reached, by reason", "reason", reason.name(), null, null)
        .increment();
  }

  public void wakeToConnect(long nanos) {
    wakeToConnect.record(nanos, TimeUnit.NANOSECONDS);
  }
}
