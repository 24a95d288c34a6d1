package io.fleetcast.agent.testing;

import io.fleetcast.protocol.AgentCredential;
import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A cluster node stand-in on 127.0.0.1 (random port): checks the bearer at upgrade, answers
 * hello with welcome, records every frame, and lets a test send node messages or refuse
 * upgrades (401/403/503). Test-thread helpers block with a deadline.
 */
public final class FakeNode implements AutoCloseable {
  public enum Mode { ACCEPT, UNAUTHORIZED, REVOKED, BUSY }

  private final Vertx vertx;
  private final String agentId;
  private final String secret;
  private final String nodeId;
  private HttpServer server;
  private volatile Mode mode = Mode.ACCEPT;
  private volatile int retryAfterSeconds = 1;
  private volatile boolean autoWelcome = true;
  private volatile ServerWebSocket current;
  public final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  public final List<Instant> upgradeAttempts = new CopyOnWriteArrayList<>();
  public final AtomicInteger connections = new AtomicInteger();

  public FakeNode(Vertx vertx, String agentId, String secret, String nodeId) {
    this.vertx = vertx;
    this.agentId = agentId;
    this.secret = secret;
    this.nodeId = nodeId;
  }

  public FakeNode start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    server.requestHandler(req -> {
      if (!"/agent/v1".equals(req.path())) {
        req.response().setStatusCode(404).end();
        return;
      }
      upgradeAttempts.add(Instant.now());
      var cred = AgentCredential.fromAuthorizationHeader(req.getHeader("Authorization"));
      boolean ok = cred.isPresent() && cred.get().agentId().equals(agentId) && cred.get().secret().equals(secret);
      if (!ok || mode == Mode.UNAUTHORIZED) {
        req.response().setStatusCode(401).end();
        return;
      }
      if (mode == Mode.REVOKED) {
        req.response().setStatusCode(403).end();
        return;
      }
      if (mode == Mode.BUSY) {
        req.response().setStatusCode(503).putHeader("Retry-After", String.valueOf(retryAfterSeconds)).end();
        return;
      }
      req.toWebSocket().onSuccess(ws -> {
        current = ws;
        connections.incrementAndGet();
        ws.textMessageHandler(text -> {
          JsonObject j = new JsonObject(text);
          frames.add(j);
          if ("hello".equals(j.getString("type")) && autoWelcome) {
            ws.writeTextMessage(new NodeMessage.Welcome(nodeId, 30, Instant.now()).encode());
          }
        });
      });
    });
    try {
      server.listen().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "ws://127.0.0.1:" + port() + "/agent/v1";
  }

  public FakeNode mode(Mode m) {
    mode = m;
    return this;
  }

  public FakeNode retryAfter(int seconds) {
    retryAfterSeconds = seconds;
    return this;
  }

  public FakeNode autoWelcome(boolean on) {
    autoWelcome = on;
    return this;
  }

  public void send(NodeMessage m) {
    ServerWebSocket ws = current;
    if (ws == null) {
      throw new IllegalStateException("no agent connected");
    }
    String text = m.encode();
    vertx.runOnContext(v -> ws.writeTextMessage(text));
  }

  /** Closes the agent's socket from the node side (a node restart, as the agent sees it). */
  public void dropConnection() {
    ServerWebSocket ws = current;
    current = null;
    if (ws != null) {
      vertx.runOnContext(v -> ws.close());
    }
  }

  public List<JsonObject> frames(String type) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject f : frames) {
      if (type.equals(f.getString("type"))) {
        out.add(f);
      }
    }
    return out;
  }

  /** Waits until at least {@code count} frames match; returns them. */
  public List<JsonObject> await(String type, Predicate<JsonObject> match, int count, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<JsonObject> hits = frames(type).stream().filter(match).toList();
      if (hits.size() >= count) {
        return hits;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("expected " + count + " '" + type + "' frame(s) within " + timeout
            + ", got " + hits.size() + "; all frames: " + frames);
      }
      sleep(10);
    }
  }

  public JsonObject await(String type, Predicate<JsonObject> match) {
    // generous: a loaded 2-core CI can take seconds to start a JVM-side process or a socket
    return await(type, match, 1, Duration.ofSeconds(30)).get(0);
  }

  public JsonObject awaitResult(String taskId) {
    return await("result", j -> taskId.equals(j.getString("taskId")));
  }

  public void awaitConnections(int n) {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (connections.get() < n || current == null) {
      if (System.nanoTime() > end) {
        throw new AssertionError("expected " + n + " connection(s), got " + connections.get());
      }
      sleep(10);
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.close().await(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // test teardown
      }
    }
  }
}
