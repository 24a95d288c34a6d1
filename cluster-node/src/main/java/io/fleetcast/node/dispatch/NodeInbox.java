package io.fleetcast.node.dispatch;

import io.fleetcast.common.bus.Addresses;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public NodeInbox(Vertx vertx, String nodeId, SessionTable sessions, RevocationList revocations, NodeMetrics metrics,
      Drainer drainer, java.util.function.BooleanSupplier quorate) {
    this.quorate = quorate;
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.sessions = sessions;
    this.revocations = revocations;
    this.metrics = metrics;
    this.drainer = drainer;
  }

  public Future<Void> start() {
    MessageConsumer<JsonObject> dispatch = vertx.eventBus().consumer(Addresses.dispatch(nodeId), this::onDispatch);
    MessageConsumer<JsonObject> control = vertx.eventBus().consumer(Addresses.control(nodeId), this::onControl);
    MessageConsumer<JsonObject> revoked = vertx.eventBus().consumer(Addresses.REVOKED, this::onRevoked);
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

  /** {@code {frame, agents[]}} -> {@code {delivered, missing[]}}. */
  void onDispatch(Message<JsonObject> msg) {
    if (!quorate.getAsBoolean()) {
      // cut off from the cluster majority: the other side may be serving these agents now
      metrics.dispatchRefused();
      msg.fail(503, "node " + nodeId + " has lost the cluster majority");
      return;
    }
    JsonObject body = msg.body();
    EncodedFrame frame = new EncodedFrame(body.getString("frame"));
    String type = body.getString("type", MessageType.TASK);
    JsonArray missing = new JsonArray();
    int delivered = 0;
    // one task per I/O thread writing to all of its sockets, rather than one cross-thread task per write
    Map<java.util.concurrent.Executor, List<AgentSession>> byThread = new HashMap<>();
    for (Object o : body.getJsonArray("agents", new JsonArray())) {
      String agentId = (String) o;
      AgentSession s = sessions.get(agentId);
      if (s != null && s.active()) {
        byThread.computeIfAbsent(s.connection().ioThread(), k -> new ArrayList<>()).add(s);
        delivered++;
      } else {
        missing.add(agentId);
      }
    }
    byThread.forEach((thread, list) -> thread.execute(() -> list.forEach(s -> s.deliver(frame))));
    metrics.messagesOut(type, delivered);
    if (MessageType.TASK.equals(type)) {
      metrics.tasksDelivered(delivered);
    }
    msg.reply(new JsonObject().put("delivered", delivered).put("missing", missing));
  }

  void onControl(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    String op = body.getString("op", "");
    switch (op) {
      case "supersede" -> {
        AgentSession s = sessions.get(body.getString("agentId"));
        boolean closed = false;
        if (s != null && s.sessionId().equals(body.getString("sessionId"))) {
          s.close(CloseCodes.SUPERSEDED, "replaced by a newer connection", DisconnectReason.SUPERSEDED);
          closed = true;
        }
        msg.reply(new JsonObject().put("closed", closed));
      }
      case "drain" -> msg.reply(drainer.start(body.getInteger("perSecond", 200), body.getString("url")));
      case "undrain" -> msg.reply(drainer.stop());
      case "watchOutput" -> {
        // a gateway watches a running task: ask the agent to stream its output for a while
        AgentSession s = sessions.get(body.getString("agentId"));
        boolean sent = s != null && s.active();
        if (sent) {
          s.send(new NodeMessage.WatchOutput(body.getString("taskId"),
              Math.max(0, Math.min(NodeMessage.WatchOutput.MAX_SECONDS, body.getInteger("seconds", 30)))));
        }
        msg.reply(new JsonObject().put("sent", sent));
      }
      default -> msg.fail(400, "unknown control op '" + op + "'");
    }
  }

  void onRevoked(Message<JsonObject> msg) {
    String agentId = msg.body().getString("agentId");
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
