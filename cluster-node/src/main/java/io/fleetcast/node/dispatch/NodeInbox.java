package io.fleetcast.node.dispatch;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.DispatchReply;
import io.fleetcast.common.bus.DispatchRequest;
import io.fleetcast.common.bus.ControlOp;
import io.fleetcast.common.bus.ControlReply;
import io.fleetcast.common.bus.RevokedMessage;
import io.fleetcast.common.log.Kv;
import io.fleetcast.node.agent.AgentSession;
import io.fleetcast.node.agent.EncodedFrame;
import io.fleetcast.node.agent.RevocationList;
import io.fleetcast.node.agent.SessionTable;
import io.fleetcast.node.metrics.NodeMetrics;
import io.fleetcast.node.metrics.NodeMetrics.DisconnectReason;
import io.fleetcast.protocol.CloseCodes;
import io.fleetcast.protocol.MessageType;
import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.logging.Logger;

/**
 * This node's event-bus inbox. Gateways send it one message per node per task (fan-out is
 * per node, not per agent); the node writes the frame, encoded once, to its local sockets
 * and answers which targets are not connected here so the gateway can re-route them.
 */
public final class NodeInbox {
  private static final Logger LOG = Logger.getLogger(NodeInbox.class.getName());

  private final Vertx vertx;
  private final String nodeId;
  private final SessionTable sessions;
  private final RevocationList revocations;
  private final NodeMetrics metrics;
  private final Drainer drainer;
  private final java.util.function.BooleanSupplier quorate;
  private final DispatchActivity activity;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public NodeInbox(Vertx vertx, String nodeId, SessionTable sessions, RevocationList revocations, NodeMetrics metrics,
      Drainer drainer, java.util.function.BooleanSupplier quorate, DispatchActivity activity) {
    this.quorate = quorate;
    this.activity = activity;
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.sessions = sessions;
    this.revocations = revocations;
    this.metrics = metrics;
    this.drainer = drainer;
  }

  public Future<Void> start() {
    MessageConsumer<DispatchRequest> dispatch = vertx.eventBus().consumer(Addresses.dispatch(nodeId), this::onDispatch);
    MessageConsumer<ControlOp> control = vertx.eventBus().consumer(Addresses.control(nodeId), this::onControl);
    MessageConsumer<RevokedMessage> revoked = vertx.eventBus().consumer(Addresses.REVOKED, this::onRevoked);
    consumers.add(dispatch);
    consumers.add(control);
    consumers.add(revoked);
    return Future.all(dispatch.completion(), control.completion(), revoked.completion()).mapEmpty();
  }

  public Future<Void> stop() {
    List<Future<Void>> fs = new ArrayList<>();
    consumers.forEach(c -> fs.add(c.unregister()));
    return Future.join(fs).mapEmpty();
  }

  /** {@link DispatchRequest} -> {@link DispatchReply}. */
  void onDispatch(Message<DispatchRequest> msg) {
    if (!quorate.getAsBoolean()) {
      // cut off from the cluster majority: the other side may be serving these agents now
      metrics.dispatchRefused();
      msg.fail(503, "node " + nodeId + " has lost the cluster majority");
      return;
    }
    DispatchRequest body = msg.body();
    EncodedFrame frame = new EncodedFrame(body.frame());
    String type = body.type() == null ? MessageType.TASK : body.type();
    List<String> missing = new ArrayList<>();
    int delivered = 0;
    // one task per I/O thread writing to all of its sockets, rather than one cross-thread task per write
    Map<java.util.concurrent.Executor, List<AgentSession>> byThread = new HashMap<>();
    for (String agentId : body.agents()) {
      AgentSession s = sessions.get(agentId);
      if (s != null && s.active()) {
        byThread.computeIfAbsent(s.connection().ioThread(), k -> new ArrayList<>()).add(s);
        delivered++;
      } else {
        missing.add(agentId);
      }
    }
    boolean task = MessageType.TASK.equals(type);
    if (task) {
      activity.arrived(body.part());
      if (delivered > 0) {
        activity.sent();
      }
    }
    byThread.forEach((thread, list) -> thread.execute(() -> {
      list.forEach(s -> s.deliver(frame));
      if (task) {
        // the writes of a big dispatch end later than its message: the hold counts from the last
        activity.sent();
      }
    }));
    metrics.messagesOut(type, delivered);
    if (task) {
      metrics.tasksDelivered(delivered);
    }
    msg.reply(new DispatchReply(delivered, missing));
  }

  void onControl(Message<ControlOp> msg) {
    ControlOp body = msg.body();
    if (body instanceof ControlOp.Supersede op) {
      AgentSession s = sessions.get(op.agentId());
      boolean closed = false;
      if (s != null && s.sessionId().equals(op.sessionId())) {
        s.close(CloseCodes.SUPERSEDED, "replaced by a newer connection", DisconnectReason.SUPERSEDED);
        closed = true;
      }
      msg.reply(new ControlReply.Done(closed));
    } else if (body instanceof ControlOp.Drain op) {
      msg.reply(drainer.start(op.perSecond(), null));
    } else if (body instanceof ControlOp.Undrain) {
      msg.reply(drainer.stop());
    } else if (body instanceof ControlOp.WatchOutput op) {
      // a gateway watches a running task: ask the agent to stream its output for a while
      AgentSession s = sessions.get(op.agentId());
      boolean sent = s != null && s.active();
      if (sent) {
        s.send(new NodeMessage.WatchOutput(op.taskId(), Math.max(0, Math.min(NodeMessage.WatchOutput.MAX_SECONDS, op.seconds()))));
      }
      msg.reply(new ControlReply.Done(sent));
    } else {
      msg.fail(400, "unknown control op " + body);
    }
  }

  void onRevoked(Message<RevokedMessage> msg) {
    String agentId = msg.body().agentId();
    revocations.add(agentId);
    AgentSession s = sessions.get(agentId);
    if (s != null) {
      s.close(CloseCodes.REVOKED, "credential revoked", DisconnectReason.REVOKED);
      LOG.info(Kv.event("agent.revoked_closed", "agentId", agentId, "node", nodeId));
    }
  }

  /** Sends a reconnect to one agent; used by the drainer. */
  static boolean sendReconnect(AgentSession s, String url, long afterMillis) {
    if (!s.active()) {
      return false;
    }
    s.send(new NodeMessage.Reconnect(url, afterMillis));
    return true;
  }
}
