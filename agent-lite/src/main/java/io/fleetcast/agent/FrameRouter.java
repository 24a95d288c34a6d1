package io.fleetcast.agent;

import io.fleetcast.agent.connection.NodeConnector;
import io.fleetcast.agent.connection.NodeSession;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.log.Kv;
import io.vertx.core.Future;
import java.util.List;
import java.util.logging.Logger;

/**
 * Routes what the connection brings to the parts of the agent: the hello it sends, the welcome
 * (attach the link, resend pending results, confirm a self-update), each incoming frame by type, and
 * the end of a connection. Nothing is routed once the agent is halted.
 */
final class FrameRouter implements NodeConnector.Agent {
  private static final Logger LOG = Logger.getLogger(FrameRouter.class.getName());

  private final AgentAssembly parts;
  private final AgentLifecycle lifecycle;

  FrameRouter(AgentAssembly parts, AgentLifecycle lifecycle) {
    this.parts = parts;
    this.lifecycle = lifecycle;
  }

  @Override
  public Future<List<String>> nodes() {
    return parts.directory.nodes();
  }

  @Override
  public Future<AgentMessage.Hello> hello() {
    return parts.factsOut.forHello().map(f -> new AgentMessage.Hello(parts.agentId, parts.options.version(), f));
  }

  @Override
  public void welcomed(NodeSession session, NodeMessage.Welcome welcome) {
    if (lifecycle.halted()) {
      return;
    }
    parts.link.attach(session);
    lifecycle.connected(true);
    parts.listener.onConnected(session.url(), welcome.nodeId());
    parts.outbox.resendAll();
    // welcomed after a hello with our version: a pending self-update is confirmed now
    parts.updates.connected(parts.tasks).onFailure(e -> LOG.warning(Kv.event("update.confirm.failed")
        .kv("error", e.getMessage()).toString()));
  }

  @Override
  public void received(NodeMessage message) {
    if (lifecycle.halted()) {
      return;
    }
    if (message instanceof NodeMessage.Task t) {
      parts.tasks.onTask(t);
    } else if (message instanceof NodeMessage.Cancel c) {
      parts.tasks.onCancel(c);
    } else if (message instanceof NodeMessage.ResultAck a) {
      parts.outbox.acked(a);
    } else if (message instanceof NodeMessage.WatchOutput w) {
      parts.live.watch(w.taskId(), w.seconds());
    } else if (message instanceof NodeMessage.WakeRelay w) {
      parts.wake.relay(w).onSuccess(done -> {
        parts.link.send(done);
        parts.listener.onWakeDone(done);
      });
    }
  }

  @Override
  public void closed(NodeSession session, String reason) {
    parts.link.detach(session);
    lifecycle.connected(parts.link.up());
    parts.listener.onDisconnected(session.url(), reason);
  }
}
