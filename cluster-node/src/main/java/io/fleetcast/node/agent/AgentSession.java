package io.fleetcast.node.agent;

import io.fleetcast.common.location.Location;
import io.fleetcast.common.log.Kv;
import io.fleetcast.node.metrics.NodeMetrics.DisconnectReason;
import io.fleetcast.node.metrics.NodeMetrics.StoreOutcomeLabel;
import io.fleetcast.node.store.PresenceEvent;
import io.fleetcast.node.store.ResultRow;
import io.fleetcast.node.store.StoreOutcome;
import io.fleetcast.node.store.TargetStateStore.StateChange;
import io.fleetcast.protocol.AgentIds;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.CloseCodes;
import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.ProtocolException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent channel protocol of one authenticated connection (SPEC section 1): waits for
 * {@code hello}, then handles acks, progress, results and facts. Frames arrive on the
 * connection's I/O thread one at a time; sends may come from any thread.
 */
public final class AgentSession {
  private static final Logger LOG = Logger.getLogger(AgentSession.class.getName());

  private enum Phase { AWAITING_HELLO, ACTIVE, CLOSED }

  private final String agentId;
  private final UUID agentUuid;
  private final String sessionId;
  private final AgentConnection connection;
  private final SessionServices svc;
  /** Run once at hello, then dropped: an idle session keeps nothing of its handshake. */
  private Runnable onHelloDone;
  private volatile Phase phase = Phase.AWAITING_HELLO;
  private volatile long lastHeardNanos = System.nanoTime();
  private volatile DisconnectReason closeReason;
  /** Only the facts the node reads after hello (see {@link RelayFacts}); the rest went to presence. */
  private volatile Facts relayFacts = Facts.EMPTY;
  private volatile boolean paused;
  /** Epoch nanoseconds of hello, exact (an Instant object would cost 24 bytes per idle agent). */
  private volatile long connectedAtNanos;
  private String version = "";
  /** The task of the last result this session received: an ack of it still queued need not be written. */
  private volatile UUID lastResultTask;

  public AgentSession(String agentId, AgentConnection connection, SessionServices svc, Runnable onHelloDone) {
    this.agentId = agentId;
    this.agentUuid = parseUuid(agentId);
    this.sessionId = UUID.randomUUID().toString();
    this.connection = connection;
    this.svc = svc;
    this.onHelloDone = onHelloDone;
  }

  public String agentId() {
    return agentId;
  }

  public String sessionId() {
    return sessionId;
  }

  public Location location() {
    return new Location(svc.nodeId(), sessionId);
  }

  /** The subnets and MACs the agent reported last (Wake-on-LAN relay index); its other facts are not kept here. */
  public Facts relayFacts() {
    return relayFacts;
  }

  public boolean active() {
    return phase == Phase.ACTIVE;
  }

  public long lastHeardNanos() {
    return lastHeardNanos;
  }

  public AgentConnection connection() {
    return connection;
  }

  /** Any frame, pongs included, proves the agent alive. */
  public void heard() {
    lastHeardNanos = System.nanoTime();
  }

  public void onText(String text) {
    heard();
    AgentMessage msg;
    try {
      msg = AgentMessage.decode(text);
    } catch (ProtocolException e) {
      reject(e);
      return;
    }
    svc.metrics().messageIn(msg instanceof AgentMessage.Unknown ? "unknown" : msg.type());
    try {
      if (phase == Phase.AWAITING_HELLO) {
        if (!(msg instanceof AgentMessage.Hello hello)) {
          throw new ProtocolException(ProtocolException.Reason.UNEXPECTED_MESSAGE, "first message must be hello");
        }
        onHello(hello);
        return;
      }
      if (phase != Phase.ACTIVE) {
        return;
      }
      if (msg instanceof AgentMessage.Result r) {
        onResult(r);
      } else if (msg instanceof AgentMessage.Ack a) {
        onStateChange(a.taskId(), false, null);
      } else if (msg instanceof AgentMessage.Progress p) {
        onStateChange(p.taskId(), true, p.percent());
      } else if (msg instanceof AgentMessage.FactsChanged f) {
        onFacts(f.facts());
      } else if (msg instanceof AgentMessage.Output o) {
        svc.cluster().liveOutput(agentId, o);
      } else if (msg instanceof AgentMessage.WakeDone w) {
        svc.cluster().wakeDone(agentId, w);
      } else if (msg instanceof AgentMessage.Hello) {
        throw new ProtocolException(ProtocolException.Reason.UNEXPECTED_MESSAGE, "hello sent twice");
      }
      // Unknown: ignored for forward compatibility, counted above
    } catch (ProtocolException e) {
      reject(e);
    }
  }

  private void onHello(AgentMessage.Hello hello) {
    if (!agentId.equals(AgentIds.canonical(hello.agentId()))) {
      throw new ProtocolException(ProtocolException.Reason.INVALID_FIELD, "hello: agentId does not match the credential");
    }
    Facts facts = hello.facts();
    relayFacts = RelayFacts.of(facts);
    version = SharedStrings.dedupe(hello.version());
    Instant connectedAt = Instant.now();
    connectedAtNanos = connectedAt.getEpochSecond() * 1_000_000_000L + connectedAt.getNano();
    phase = Phase.ACTIVE;
    Runnable helloDone = onHelloDone;
    onHelloDone = null;
    helloDone.run();
    AgentSession older = svc.sessions().register(this);
    if (older != null && older != this) {
      svc.metrics().duplicateSession();
      older.close(CloseCodes.SUPERSEDED, "replaced by a newer connection", DisconnectReason.SUPERSEDED);
    }
    svc.metrics().connected();
    send(new NodeMessage.Welcome(svc.nodeId(), svc.heartbeatSeconds(), Instant.now()));
    svc.locations().put(agentId, location()).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warning(Kv.event("location.put_failed", "agentId", agentId, "error", ar.cause().getMessage()));
        return;
      }
      Optional<Location> prev = ar.result();
      if (prev.isPresent() && !prev.get().nodeId().equals(svc.nodeId())) {
        svc.metrics().duplicateSession();
        svc.cluster().supersedeRemote(agentId, prev.get());
      }
    });
    svc.presence().submit(PresenceEvent.online(agentUuid, sessionId, facts, version, connectedAt), (v, err) -> {});
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(Kv.event("agent.connected", "agentId", agentId, "session", sessionId, "remote", connection.remoteAddress()));
    }
  }

  private void onFacts(Facts f) {
    relayFacts = RelayFacts.of(f);
    svc.sessions().factsChanged();
    svc.presence().submit(PresenceEvent.facts(agentUuid, sessionId, f, version, connectedAt()), (v, err) -> {});
  }

  private Instant connectedAt() {
    long n = connectedAtNanos;
    return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }

  private void onStateChange(String taskId, boolean running, Integer percent) {
    UUID task = parseUuid(taskId);
    if (task != null && agentUuid != null) {
      svc.states().submit(new StateChange(task, agentUuid, running, percent), (v, err) -> {});
    }
  }

  private void onResult(AgentMessage.Result r) {
    UUID task = parseUuid(r.taskId());
    if (task == null || agentUuid == null) {
      svc.metrics().resultOutcome(StoreOutcomeLabel.rejected);
      send(new NodeMessage.ResultAck(r.taskId(), false, "unknown task"));
      return;
    }
    long received = System.nanoTime();
    lastResultTask = task;
    svc.results().submit(new ResultRow(task, agentUuid, r.status(), r.exitCode(), r.output(), r.startedAt(),
        r.finishedAt(), received, r.error()), (outcome, err) -> {
          if (err == null) {
            onStored(r.taskId(), outcome, received);
          }
        });
    if (svc.results().overloaded() && !paused) {
      // the database lags: stop reading this socket until the queue has drained
      paused = true;
      svc.metrics().backpressure(1);
      connection.setReading(false);
      svc.results().whenDrained(() -> {
        paused = false;
        svc.metrics().backpressure(-1);
        connection.setReading(true);
      });
    }
  }

  private void onStored(String taskId, StoreOutcome outcome, long receivedNanos) {
    switch (outcome) {
      case STORED -> svc.metrics().resultOutcome(StoreOutcomeLabel.stored);
      case DUPLICATE -> svc.metrics().resultOutcome(StoreOutcomeLabel.duplicate);
      case REJECTED -> svc.metrics().resultOutcome(StoreOutcomeLabel.rejected);
      case REFUSED -> svc.metrics().resultOutcome(StoreOutcomeLabel.refused);
    }
    // refused: stored=false, so the agent forgets it; the server state is untouched either way
    send(switch (outcome) {
      case REJECTED -> new NodeMessage.ResultAck(taskId, false, "unknown task: not sent to this agent");
      case REFUSED -> new NodeMessage.ResultAck(taskId, false, "task not dispatched to this agent");
      default -> new NodeMessage.ResultAck(taskId);
    });
    svc.metrics().ackLatency().record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
  }

  private void reject(ProtocolException e) {
    svc.metrics().frameRejected(e.reason().label());
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(Kv.event("agent.frame_rejected", "agentId", agentId, "reason", e.reason().label(), "detail", e.getMessage()));
    }
    close(e.closeCode(), e.getMessage(), DisconnectReason.PROTOCOL);
  }

  public void send(NodeMessage msg) {
    if (connection.isOpen()) {
      connection.send(msg.encode());
      svc.metrics().messageOut(msg.type());
    }
  }

  /** Whether the last result received on this session is for {@code taskId}. */
  public boolean resultReceived(UUID taskId) {
    return taskId.equals(lastResultTask);
  }

  /** Writes a frame encoded once for many agents. */
  public boolean deliver(EncodedFrame frame) {
    if (phase != Phase.ACTIVE || !connection.isOpen()) {
      return false;
    }
    connection.send(frame);
    return true;
  }

  public void close(int code, String reason, DisconnectReason why) {
    if (closeReason == null) {
      closeReason = why;
    }
    connection.close(code, reason);
  }

  /** The socket is gone (closed by either side): forget this session everywhere it is known. */
  public void onClosed() {
    Phase was = phase;
    phase = Phase.CLOSED;
    if (was != Phase.ACTIVE) {
      return;
    }
    svc.metrics().disconnected(closeReason == null ? DisconnectReason.CLOSED : closeReason);
    svc.sessions().unregister(this);
    // conditional on this session: a newer connection's entry (here or on another node) stays
    svc.locations().removeIfMatches(agentId, location());
    svc.presence().submit(PresenceEvent.offline(agentUuid, sessionId), (v, err) -> {});
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(Kv.event("agent.disconnected", "agentId", agentId, "session", sessionId,
          "reason", closeReason == null ? "closed" : closeReason.label));
    }
  }

  static UUID parseUuid(String s) {
    return AgentIds.parse(s);
  }

  @Override
  public String toString() {
    return "AgentSession[" + agentId + "/" + sessionId + "]";
  }
}
