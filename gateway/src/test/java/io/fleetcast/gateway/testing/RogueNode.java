package io.fleetcast.gateway.testing;

import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A compromised cluster node: accepts an agent's WebSocket on 127.0.0.1, welcomes it, and sends
 * whatever task frames the test gives it (real gateway signatures, replayed or altered).
 * Records every frame the agent sends back.
 */
public final class RogueNode implements AutoCloseable {
  private final Vertx vertx;
  private HttpServer server;
  private volatile ServerWebSocket agent;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();

  public RogueNode(Vertx vertx) {
    this.vertx = vertx;
  }

  public RogueNode start() throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    server.webSocketHandler(ws -> {
      agent = ws;
      ws.textMessageHandler(text -> {
        JsonObject j = new JsonObject(text);
        frames.add(j);
        if ("hello".equals(j.getString("type"))) {
          ws.writeTextMessage(new NodeMessage.Welcome("rogue-node", 30, Instant.now()).encode());
        }
      });
    });
    server.listen().await(5, TimeUnit.SECONDS);
    return this;
  }

  public String url() {
    return "ws://127.0.0.1:" + server.actualPort() + "/agent/v1";
  }

  public void send(NodeMessage.Task task) {
    ServerWebSocket ws = agent;
    if (ws == null) {
      throw new IllegalStateException("no agent connected");
    }
    String text = task.encode();
    vertx.runOnContext(v -> ws.writeTextMessage(text));
  }

  public List<JsonObject> frames(String type) {
    return frames.stream().filter(f -> type.equals(f.getString("type"))).toList();
  }

  /** The first frame of {@code type} matching, waiting up to {@code timeout}. */
  public JsonObject await(String type, Predicate<JsonObject> match, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      for (JsonObject f : frames(type)) {
        if (match.test(f)) {
          return f;
        }
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no '" + type + "' frame matched within " + timeout + "; frames: " + frames);
  }

  public JsonObject awaitResult(String taskId) {
    return await("result", f -> taskId.equals(f.getString("taskId")), Duration.ofSeconds(15));
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.close().await(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // teardown
      }
    }
  }
}
