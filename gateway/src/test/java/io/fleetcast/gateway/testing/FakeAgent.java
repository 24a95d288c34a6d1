package io.fleetcast.gateway.testing;

import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A protocol-level agent for tests: speaks SPEC section 1 directly, records what it gets and,
 * when told to, answers tasks with ack + result. Lets tests send deliberately bad frames too.
 */
public final class FakeAgent {
  private final Vertx vertx;
  private final String agentId;
  private final String secret;
  private final WebSocketClient client;
  private final Queue<String> received = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final AtomicInteger resultAcks = new AtomicInteger();
  private volatile Function<NodeMessage.Task, TaskStatus> behaviour = t -> TaskStatus.SUCCEEDED;
  private volatile boolean autoAnswer = true;
  private volatile long resultDelayMs;
  private volatile AtomicInteger inFlight;
  private volatile AtomicInteger maxInFlight;
  private volatile WebSocket ws;
  private volatile Short closeCode;
  private Facts facts = Facts.EMPTY;

  public FakeAgent(Vertx vertx, String agentId, String secret) {
    this.vertx = vertx;
    this.agentId = agentId;
    this.secret = secret;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
        .setMaxMessageSize(1 << 20));
  }

  public static FakeAgent fromEnrollment(Vertx vertx, JsonObject enrolled) {
    return new FakeAgent(vertx, enrolled.getString("agentId"), enrolled.getString("agentSecret"));
  }

  public String id() {
    return agentId;
  }

  public FakeAgent facts(Facts f) {
    this.facts = f;
    return this;
  }

  public FakeAgent behaviour(Function<NodeMessage.Task, TaskStatus> f) {
    this.behaviour = f;
    return this;
  }

  /** Answers each task only after {@code ms}, counting it in a shared in-flight gauge meanwhile. */
  public FakeAgent slow(long ms, AtomicInteger sharedInFlight, AtomicInteger sharedMax) {
    this.resultDelayMs = ms;
    this.inFlight = sharedInFlight;
    this.maxInFlight = sharedMax;
    return this;
  }

  public FakeAgent autoAnswer(boolean on) {
    this.autoAnswer = on;
    return this;
  }

  /** Opens the socket with the given bearer (null: none) without saying hello. */
  public Future<WebSocket> open(String url, String bearer) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setAbsoluteURI(url);
    if (bearer != null) {
      o.addHeader("Authorization", "Bearer " + bearer);
    }
    return client.connect(o).onSuccess(s -> {
      ws = s;
      s.textMessageHandler(this::onText);
      s.closeHandler(v -> closeCode = s.closeStatusCode());
    });
  }

  /** Connects with its credential, says hello and waits for welcome. */
  public Future<FakeAgent> connect(String url) {
    return open(url, agentId + "." + secret).compose(s -> {
      s.writeTextMessage(new AgentMessage.Hello(agentId, "fake/1", facts).encode());
      return waitFor(m -> m.contains("\"welcome\""), 30_000);
    }).map(this);
  }

  private Future<Void> waitFor(java.util.function.Predicate<String> p, long timeoutMs) {
    io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
    long start = System.currentTimeMillis();
    vertx.setPeriodic(10, id -> {
      if (received.stream().anyMatch(p)) {
        vertx.cancelTimer(id);
        promise.tryComplete();
      } else if (System.currentTimeMillis() - start > timeoutMs || (ws != null && ws.isClosed())) {
        vertx.cancelTimer(id);
        promise.tryFail("no matching frame (closed=" + (ws != null && ws.isClosed()) + ", code=" + closeCode + ")");
      }
    });
    return promise.future();
  }

  private void onText(String text) {
    received.add(text);
    NodeMessage m;
    try {
      m = NodeMessage.decode(text);
    } catch (RuntimeException e) {
      return;
    }
    if (m instanceof NodeMessage.Task t && autoAnswer) {
      int n = runs.computeIfAbsent(t.taskId(), k -> new AtomicInteger()).incrementAndGet();
      send(new AgentMessage.Ack(t.taskId()).encode());
      TaskStatus st = behaviour.apply(t);
      if (st != null && n == 1) {
        String result = new AgentMessage.Result(t.taskId(), st, st == TaskStatus.SUCCEEDED ? 0 : 1, "output of " + agentId,
            Instant.now(), Instant.now()).encode();
        if (resultDelayMs <= 0) {
          send(result);
        } else {
          if (inFlight != null) {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
          }
          vertx.setTimer(resultDelayMs, id -> {
            if (inFlight != null) {
              inFlight.decrementAndGet();
            }
            send(result);
          });
        }
      }
    } else if (m instanceof NodeMessage.ResultAck) {
      resultAcks.incrementAndGet();
    }
  }

  public void send(String text) {
    WebSocket s = ws;
    if (s != null && !s.isClosed()) {
      s.writeTextMessage(text);
    }
  }

  public WebSocket socket() {
    return ws;
  }

  public List<String> received() {
    return List.copyOf(received);
  }

  public List<NodeMessage.Task> tasks() {
    return received.stream().filter(s -> s.contains("\"type\":\"task\"")).map(s -> (NodeMessage.Task) NodeMessage.decode(s))
        .toList();
  }

  /** How often each task id was run (an honest agent runs each at most once, so a count above 1 is a test failure). */
  public Map<String, AtomicInteger> runs() {
    return runs;
  }

  public int resultAcks() {
    return resultAcks.get();
  }

  public boolean closed() {
    return ws == null || ws.isClosed();
  }

  public Short closeCode() {
    return closeCode;
  }

  public Future<Void> close() {
    WebSocket s = ws;
    return (s == null || s.isClosed() ? Future.<Void>succeededFuture() : s.close()).eventually(() -> client.close());
  }
}
