package io.fleetcast.gateway.wake;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.OnlineMessage;
import io.fleetcast.common.bus.WakeDoneMessage;
import io.fleetcast.common.log.Kv;
import io.fleetcast.gateway.rollout.Dispatcher;
import io.fleetcast.gateway.wake.WakeMetrics.PacketOutcome;
import io.fleetcast.gateway.wake.WakeMetrics.Path;
import io.fleetcast.gateway.wake.WakePlan.DirectJob;
import io.fleetcast.gateway.wake.WakePlan.Outcome;
import io.fleetcast.gateway.wake.WakePlan.RelayJob;
import io.fleetcast.protocol.MessageType;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.wake.MagicPacket;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries out wake plans: queues their jobs on the {@link WakePacer}, and as the buckets allow,
 * sends each relay one {@code wakeRelay} frame listing its released targets (through the
 * {@link Dispatcher}, like a task) and sends direct packets itself, repeated
 * {@code wake.repeats} times {@code repeatIntervalMillis} apart. It then collects each relay's
 * {@code wakeDone} (or counts it timed out) and measures wake-to-connect when a woken agent
 * comes online.
 *
 * <p>All state is confined to one Vert.x context; the pacer is driven by one timer at a time,
 * so nothing ever waits on an event loop.
 */
public final class WakeExecutor {
  private static final Logger LOG = Logger.getLogger(WakeExecutor.class.getName());
  /** Targets per wakeRelay frame: keeps a frame far below the agents' frame limit. */
  static final int FRAME_TARGETS = 200;

  private sealed interface Job permits RelayWork, DirectWork {}

  private record RelayWork(String requestId, RelayJob job) implements Job {}

  private record DirectWork(String requestId, DirectJob job, byte[] packet, int attempt) implements Job {}

  private final Vertx vertx;
  private final WakeSettings settings;
  private final Dispatcher dispatcher;
  private final DirectSender direct;
  private final WakeMetrics metrics;
  private Context context;
  private WakePacer<Job> pacer;
  private final RelayAnswers answers;
  private final WakeToConnect wakeToConnect;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long drainTimer = -1;
  private long drainAt;
  private long sweepTimer = -1;
  private long frameSeq;
  private volatile long queuedPackets;

  public WakeExecutor(Vertx vertx, WakeSettings settings, Dispatcher dispatcher, DirectSender direct, WakeMetrics metrics) {
    this.vertx = vertx;
    this.settings = settings;
    this.dispatcher = dispatcher;
    this.direct = direct;
    this.metrics = metrics;
    this.answers = new RelayAnswers(vertx, metrics, settings.relayTimeoutSeconds());
    this.wakeToConnect = new WakeToConnect(metrics);
  }

  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    pacer = new WakePacer<>(settings.packetsPerSecond(), settings.packetsPerSecondPerSubnet(), settings.maxQueuedPackets(),
        System.nanoTime());
    metrics.queueGauge(() -> queuedPackets);
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      MessageConsumer<WakeDoneMessage> done = vertx.eventBus().consumer(Addresses.WAKE_DONE, m -> answers.answered(m.body()));
      MessageConsumer<OnlineMessage> online = vertx.eventBus().consumer(Addresses.ONLINE,
          m -> wakeToConnect.connected(m.body().agents(), System.nanoTime()));
      consumers.add(done);
      consumers.add(online);
      sweepTimer = vertx.setPeriodic(60_000, id -> wakeToConnect.forgetOld(System.nanoTime()));
      Future.all(done.completion(), online.completion()).<Void>mapEmpty().onComplete(p);
    });
    return p.future();
  }

  public Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      vertx.cancelTimer(drainTimer);
      vertx.cancelTimer(sweepTimer);
      answers.clear();
      List<Future<Void>> fs = new ArrayList<>();
      consumers.forEach(c -> fs.add(c.unregister()));
      fs.add(direct.close());
      Future.join(fs).<Void>mapEmpty().onComplete(p);
    });
    return p.future();
  }

  /** Packets waiting for a pacing slot (any thread). */
  public long queued() {
    return queuedPackets;
  }

  /** Whether a plan of {@code cost} packets fits in the queue now (any thread; approximate under concurrency). */
  public boolean fits(long cost) {
    return queuedPackets + cost <= settings.maxQueuedPackets();
  }

  /**
   * Queues every job of the plan (the caller checked {@link #fits} before writing its audit row
   * or marking targets, so the queue limit is not enforced again here), counts the plan's
   * unreachable targets and logs a summary.
   *
   * @param secureOn null, or the 4/6-byte password appended to direct packets
   */
  public Future<Void> execute(String requestId, String source, WakePlan plan, byte[] secureOn) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      long now = System.nanoTime();
      for (RelayJob j : plan.relayJobs()) {
        pacer.offer(j.subnet(), settings.repeats(), new RelayWork(requestId, j), true);
      }
      for (DirectJob j : plan.directJobs()) {
        pacer.offer(j.subnet(), 1, new DirectWork(requestId, j, MagicPacket.of(j.mac(), secureOn), 0), true);
      }
      int relayed = 0, direct = 0, unreachable = 0, online = 0;
      for (Outcome o : plan.outcomes()) {
        relayed += o.relayed() ? 1 : 0;
        direct += o.direct() ? 1 : 0;
        online += o.online() ? 1 : 0;
        if (o.unreachable()) {
          unreachable++;
          metrics.unreachable(o.reason());
          if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(Kv.event("wake.unreachable", "requestId", requestId, "agentId", o.target().agentId(),
                "mac", o.target().requestedMac(), "reason", o.reason(), "detail", o.detail()));
          }
        }
      }
      LOG.info(Kv.event("wake.planned", "requestId", requestId, "source", source, "targets", plan.outcomes().size(),
          "relayed", relayed, "direct", direct, "unreachable", unreachable, "online", online,
          "relayJobs", plan.relayJobs().size(), "directJobs", plan.directJobs().size()));
      queuedPackets = pacer.queued();
      schedule(now);
      p.complete();
    });
    return p.future();
  }

  // ---- pacing

  private void schedule(long now) {
    long next = pacer.nextRelease(now);
    if (next < 0) {
      return;
    }
    long at = now + next;
    if (drainTimer != -1) {
      if (drainAt <= at) {
        return;
      }
      vertx.cancelTimer(drainTimer);
    }
    drainAt = at;
    long delayMs = Math.max(1, Math.min(1000, (next + 999_999) / 1_000_000));
    drainTimer = vertx.setTimer(delayMs, id -> {
      drainTimer = -1;
      drain();
    });
  }

  private void drain() {
    long now = System.nanoTime();
    Map<String, List<RelayWork>> byRelay = new LinkedHashMap<>();
    for (WakePacer.Item<Job> item : pacer.release(now)) {
      if (item.job() instanceof RelayWork r) {
        byRelay.computeIfAbsent(r.requestId() + "|" + r.job().relayAgentId(), k -> new ArrayList<>()).add(r);
      } else if (item.job() instanceof DirectWork d) {
        sendDirect(d);
      }
    }
    byRelay.values().forEach(works -> {
      for (int i = 0; i < works.size(); i += FRAME_TARGETS) {
        sendFrame(works.subList(i, Math.min(works.size(), i + FRAME_TARGETS)));
      }
    });
    queuedPackets = pacer.queued();
    schedule(now);
  }

  private void sendDirect(DirectWork w) {
    DirectJob j = w.job();
    if (w.attempt() == 0) {
      wakeToConnect.woken(j.targetAgentId(), System.nanoTime());
    }
    direct.send(w.packet(), j.address(), j.port()).onComplete(ar -> {
      metrics.packets(Path.direct, ar.succeeded() ? PacketOutcome.sent : PacketOutcome.failed, 1);
      if (ar.failed()) {
        LOG.warning(Kv.event("wake.direct_failed", "requestId", w.requestId(), "subnet", j.subnet(), "to",
            j.address() + ":" + j.port(), "error", String.valueOf(ar.cause().getMessage())));
      }
    });
    if (w.attempt() + 1 < settings.repeats()) {
      vertx.setTimer(Math.max(1, settings.repeatIntervalMillis()), id -> {
        pacer.offer(j.subnet(), 1, new DirectWork(w.requestId(), j, w.packet(), w.attempt() + 1), true);
        queuedPackets = pacer.queued();
        schedule(System.nanoTime());
      });
    }
  }

  private void sendFrame(List<RelayWork> works) {
    String requestId = works.get(0).requestId();
    String relay = works.get(0).job().relayAgentId();
    String frameId = requestId + "." + (++frameSeq);
    List<NodeMessage.WakeTarget> targets = new ArrayList<>();
    long now = System.nanoTime();
    for (RelayWork w : works) {
      RelayJob j = w.job();
      targets.add(new NodeMessage.WakeTarget(j.mac().toString(), j.broadcast(), j.port()));
      wakeToConnect.woken(j.targetAgentId(), now);
    }
    answers.expect(frameId, requestId, relay, targets.size());
    String frame = new NodeMessage.WakeRelay(frameId, targets).encode();
    dispatcher.send(MessageType.WAKE_RELAY, frame, List.of(UUID.fromString(relay))).onComplete(ar -> context.runOnContext(x -> {
      if (ar.succeeded() && ar.result().delivered() > 0) {
        answers.delivered();
      } else {
        answers.undelivered(frameId, ar.failed() ? String.valueOf(ar.cause().getMessage()) : "relay not connected");
      }
    }));
  }
}
