package io.fleetcast.fleetctl.testing;

import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The smallest agent that lets a rollout complete: says hello with its credential, and
 * answers every task with ack + a result of the configured status. Speaks the protocol
 * records, so it cannot drift from what the node expects.
 */
public final class FakeAgent implements AutoCloseable {
  private final Vertx vertx;
  private final String agentId;
  private final String secret;
  private final WebSocketClient client;
  private final AtomicInteger tasks = new AtomicInteger();
  private final AtomicInteger resultAcks = new AtomicInteger();
  private volatile TaskStatus answer = TaskStatus.SUCCEEDED;
  private volatile long answerAfterMs;
  private volatile WebSocket ws;

  public FakeAgent(Vertx vertx, JsonObject enrolled) {
    this.vertx = vertx;
    this.agentId = enrolled.getString("agentId");
    this.secret = enrolled.getString("agentSecret");
    this.client = vertx.createWebSocketClient();
  }

  public String id() {
    return agentId;
  }

  public FakeAgent answering(TaskStatus status) {
    this.answer = status;
    return this;
  }

  /** Sends each result only after {@code ms} (the ack goes at once), like a task that takes time. */
  public FakeAgent answerAfter(long ms) {
    this.answerAfterMs = ms;
    return this;
  }

  public int tasksReceived() {
    return tasks.get();
  }

  public int resultAcks() {
    return resultAcks.get();
  }

  /** Connects, says hello, and completes once the node has answered welcome. */
  public Future<FakeAgent> connect(String agentUrl) {
    Promise<FakeAgent> welcomed = Promise.promise();
    WebSocketConnectOptions o = new WebSocketConnectOptions().setAbsoluteURI(agentUrl)
        .addHeader("Authorization", "Bearer " + agentId + "." + secret);
    client.connect(o).onFailure(welcomed::tryFail).onSuccess(s -> {
      ws = s;
      s.textMessageHandler(text -> onFrame(text, welcomed));
      s.closeHandler(v -> welcomed.tryFail("closed before welcome: " + s.closeStatusCode()));
      Facts facts = new Facts("fake-" + agentId.substring(0, 8), "linux", "amd64", List.of("127.0.0.1"),
          List.of(), List.of("127.0.0.0/8"), List.of(), List.of());
      s.writeTextMessage(new AgentMessage.Hello(agentId, "test", facts).encode());
    });
    return welcomed.future();
  }

  private void onFrame(String text, Promise<FakeAgent> welcomed) {
    NodeMessage m = NodeMessage.decode(text);
    if (m instanceof NodeMessage.Welcome) {
      welcomed.tryComplete(this);
    } else if (m instanceof NodeMessage.Task t) {
      tasks.incrementAndGet();
      TaskStatus status = answer;
      ws.writeTextMessage(new AgentMessage.Ack(t.taskId()).encode());
      String result = new AgentMessage.Result(t.taskId(), status, status == TaskStatus.SUCCEEDED ? 0 : 1,
          "ok from " + agentId, Instant.now(), Instant.now()).encode();
      if (answerAfterMs <= 0) {
        ws.writeTextMessage(result);
      } else {
        vertx.setTimer(answerAfterMs, id -> ws.writeTextMessage(result));
      }
    } else if (m instanceof NodeMessage.ResultAck) {
      resultAcks.incrementAndGet();
    }
  }

  @Override
  public void close() {
    WebSocket s = ws;
    if (s != null && !s.isClosed()) {
      s.close().await();
    }
    client.close().await();
  }
}
