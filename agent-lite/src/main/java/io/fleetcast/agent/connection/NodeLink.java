package io.fleetcast.agent.connection;

import io.fleetcast.protocol.AgentMessage;
import io.vertx.core.Future;

/**
 * The agent's current way to its node: the session once {@code welcome} arrived, or nothing.
 * Everything that sends (tasks, results, wake) goes through here, so none of it needs to know
 * about reconnects. Used on the agent's context only.
 */
public final class NodeLink {

  /** What a connected session offers. */
  public interface Sender {
    Future<Void> send(AgentMessage message);
  }

  private Sender sender;

  public boolean up() {
    return sender != null;
  }

  public void attach(Sender s) {
    sender = s;
  }

  public void detach(Sender s) {
    if (sender == s) {
      sender = null;
    }
  }

  /** Fails (without side effects) when no node is connected; results stay on disk until then. */
  public Future<Void> send(AgentMessage message) {
    Sender s = sender;
    if (s == null) {
      return Future.failedFuture("not connected");
    }
    return s.send(message);
  }
}
