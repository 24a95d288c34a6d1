package io.fleetcast.agent.connection;

import io.fleetcast.protocol.AgentMessage;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;

/** One WebSocket to one node, after the upgrade. Sends one JSON message per text frame. */
public final class NodeSession implements NodeLink.Sender {
  private final WebSocket ws;
  private final String url;
  private String nodeId;

  NodeSession(WebSocket ws, String url) {
    this.ws = ws;
    this.url = url;
  }

  @Override
  public Future<Void> send(AgentMessage message) {
    if (ws.isClosed()) {
      return Future.failedFuture("connection closed");
    }
    return ws.writeTextMessage(message.encode());
  }

  public String url() {
    return url;
  }

  public String nodeId() {
    return nodeId;
  }

  void nodeId(String id) {
    nodeId = id;
  }

  WebSocket socket() {
    return ws;
  }

  Future<Void> close(short code, String reason) {
    return ws.isClosed() ? Future.succeededFuture() : ws.close(code, reason);
  }
}
