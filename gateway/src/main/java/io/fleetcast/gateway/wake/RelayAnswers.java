package io.fleetcast.gateway.wake;

import io.fleetcast.common.bus.WakeDoneMessage;
import io.fleetcast.common.log.Kv;
import io.fleetcast.gateway.wake.WakeMetrics.PacketOutcome;
import io.fleetcast.gateway.wake.WakeMetrics.Path;
import io.fleetcast.gateway.wake.WakeMetrics.RelayOutcome;
import io.fleetcast.protocol.AgentMessage;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The wakeRelay frames this gateway sent and is waiting to hear about: each ends as
 * {@code done} or {@code failed} (the relay's wakeDone), {@code timeout} (no answer in time) or
 * {@code undelivered} (the relay had left). Answers for frames of other gateways are ignored.
 * Confined to the executor's context.
 */
final class RelayAnswers {
  private static final Logger LOG = Logger.getLogger(RelayAnswers.class.getName());

  private record Pending(String requestId, String relay, int targets, long timer) {}

  private final Vertx vertx;
  private final WakeMetrics metrics;
  private final int timeoutSeconds;
  private final Map<String, Pending> pending = new HashMap<>();

  RelayAnswers(Vertx vertx, WakeMetrics metrics, int timeoutSeconds) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** A frame is about to be sent (registered first, so that even a very quick answer finds it). */
  void expect(String frameId, String requestId, String relay, int targets) {
    long timer = vertx.setTimer(timeoutSeconds * 1000L, id -> timedOut(frameId));
    pending.put(frameId, new Pending(requestId, relay, targets, timer));
  }

  void delivered() {
    metrics.relay(RelayOutcome.asked);
  }

  void undelivered(String frameId, String error) {
    Pending p = pending.remove(frameId);
    if (p != null) {
      vertx.cancelTimer(p.timer());
      metrics.relay(RelayOutcome.undelivered);
      LOG.warning(Kv.event("wake.relay_undelivered", "requestId", p.requestId(), "frame", frameId, "relay", p.relay(),
          "targets", p.targets(), "error", error));
    }
  }

  /** A relay's wakeDone, as published by its node ({@code requestId} is the frame id, plus {@code agentId}). */
  void answered(WakeDoneMessage done) {
    String frameId = done.report().requestId();
    Pending p = frameId == null ? null : pending.get(frameId);
    if (p == null || !p.relay().equals(done.agentId())) {
      return; // another gateway's frame, a late answer, or not the relay that was asked
    }
    pending.remove(frameId);
    vertx.cancelTimer(p.timer());
    List<String> sent = done.report().sent();
    List<AgentMessage.WakeFailure> failed = done.report().failed();
    metrics.packets(Path.relay, PacketOutcome.sent, sent.size());
    metrics.packets(Path.relay, PacketOutcome.failed, failed.size());
    metrics.relay(failed.isEmpty() ? RelayOutcome.done : RelayOutcome.failed);
    LOG.info(Kv.event("wake.relay_done", "requestId", p.requestId(), "frame", frameId, "relay", p.relay(),
        "targets", p.targets(), "sent", sent.size(), "failed", failed.size(),
        "firstError", failed.isEmpty() ? null : failed.get(0).mac() + ": " + failed.get(0).error()));
  }

  private void timedOut(String frameId) {
    Pending p = pending.remove(frameId);
    if (p != null) {
      metrics.relay(RelayOutcome.timeout);
      LOG.warning(Kv.event("wake.relay_timeout", "requestId", p.requestId(), "frame", frameId, "relay", p.relay(),
          "targets", p.targets(), "afterSeconds", timeoutSeconds));
    }
  }

  void clear() {
    pending.values().forEach(p -> vertx.cancelTimer(p.timer()));
    pending.clear();
  }
}
