package io.fleetcast.agent.connection;

import io.fleetcast.protocol.log.Kv;
import io.fleetcast.protocol.AgentCredential;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.CloseCodes;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the agent connected: get the node list (bootstrap), connect with the agent credential
 * in the upgrade request, send {@code hello}, wait for {@code welcome}, hand frames to the
 * agent; when the connection ends, wait an exponential, fully jittered back-off and start over.
 * 401/403 (bad or revoked credential) back off to the cap; 503 honours Retry-After; a
 * {@code reconnect} frame moves the agent to another node after {@code afterMillis}.
 * Lives on the agent's context.
 */
public final class NodeConnector {
  private static final Logger LOG = Logger.getLogger(NodeConnector.class.getName());

  /** What the connector needs from the agent. */
  public interface Agent {
    /** The node list, best first (bootstrap, or the last known list when the gateway is unreachable). */
    Future<List<String>> nodes();

    /** The {@code hello} for a new connection (fresh facts). */
    Future<AgentMessage.Hello> hello();

    void welcomed(NodeSession session, NodeMessage.Welcome welcome);

    void received(NodeMessage message);

    void closed(NodeSession session, String reason);
  }

  private final Vertx vertx;
  private final WebSocketClient client;
  private final TransportPolicy policy;
  private final AgentCredential credential;
  private final Backoff backoff;
  private final Duration connectTimeout;
  private final Duration welcomeTimeout;
  private final Duration stableConnection;
  private final Agent agent;
  private final Supplier<Instant> now;
  private final Set<String> warnedUrls = new HashSet<>();

  private boolean stopped = true;
  private long retryTimer = -1;
  private NodeSession session;
  private String redirectUrl;
  private boolean immediateReconnect;
  private int attempts;

  /** Largest frame a node may send (a task with its spec, a batch of cancels). */
  static final int MAX_NODE_FRAME = 1024 * 1024;

  /** Client options for node connections: bounded frames, no compression, the read idle timeout. */
  public static io.vertx.core.http.WebSocketClientOptions clientOptions(Duration readIdle) {
    return new io.vertx.core.http.WebSocketClientOptions().setMaxFrameSize(MAX_NODE_FRAME)
        .setMaxMessageSize(MAX_NODE_FRAME).setTryUsePerFrameCompression(false).setTryUsePerMessageCompression(false)
        .setReadIdleTimeout((int) readIdle.toSeconds());
  }

  public NodeConnector(Vertx vertx, WebSocketClient client, TransportPolicy policy, AgentCredential credential,
      Backoff backoff, Duration connectTimeout, Duration welcomeTimeout, Duration stableConnection, Agent agent) {
    this.vertx = vertx;
    this.client = client;
    this.policy = policy;
    this.credential = credential;
    this.backoff = backoff;
    this.connectTimeout = connectTimeout;
    this.welcomeTimeout = welcomeTimeout;
    this.stableConnection = stableConnection;
    this.agent = agent;
    this.now = Instant::now;
  }

  public void start() {
    stopped = false;
    cycle();
  }

  public boolean connected() {
    return session != null && session.nodeId() != null;
  }

  /** Stops reconnecting and closes the current connection normally. */
  public Future<Void> stop() {
    stopped = true;
    cancelRetry();
    NodeSession s = session;
    session = null;
    return s == null ? Future.succeededFuture()
        : s.close((short) CloseCodes.GOING_AWAY, "agent stopping").recover(e -> Future.succeededFuture());
  }

  /** Stops reconnecting without a goodbye (the crash test hook closes the client underneath). */
  public void halt() {
    stopped = true;
    cancelRetry();
  }

  private void cycle() {
    retryTimer = -1;
    if (stopped) {
      return;
    }
    attempts++;
    String direct = redirectUrl;
    redirectUrl = null;
    Future<List<String>> nodes = direct != null ? Future.succeededFuture(List.of(direct)) : agent.nodes();
    nodes.compose(list -> connect(pick(list)))
        .onFailure(this::connectFailed);
  }

  private String pick(List<String> urls) {
    List<String> usable = urls.stream().filter(u -> {
      boolean ok = policy.allowed(u, true);
      if (!ok && warnedUrls.add(u)) {
        LOG.warning(Kv.event("node.url.refused").kv("url", u).kv("reason", policy.dev() ? "not a ws/wss URL"
            : "plain ws:// needs --dev").toString());
      }
      return ok;
    }).toList();
    if (usable.isEmpty()) {
      throw new IllegalStateException("no usable node URL (have " + urls + ")");
    }
    // the best node first; after failures walk down the list so one dead node cannot trap the agent
    return usable.get(backoff.failures() % usable.size());
  }

  private Future<Void> connect(String url) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setAbsoluteURI(url)
        .putHeader("Authorization", credential.authorizationHeader())
        .setConnectTimeout(connectTimeout.toMillis()).setTimeout(connectTimeout.toMillis());
    return client.connect(o).compose(ws -> {
      if (stopped) {
        ws.close();
        return Future.succeededFuture();
      }
      NodeSession s = new NodeSession(ws, url);
      session = s;
      Promise<Void> welcomed = Promise.promise();
      long welcomeTimer = vertx.setTimer(welcomeTimeout.toMillis(), id -> {
        if (welcomed.tryFail("no welcome within " + welcomeTimeout.toSeconds() + " s")) {
          s.close((short) CloseCodes.POLICY_VIOLATION, "no welcome");
        }
      });
      Instant[] since = new Instant[1];
      ws.textMessageHandler(text -> onFrame(s, text, welcomed, welcomeTimer, since));
      ws.binaryMessageHandler(b -> LOG.fine("event=frame.binary.ignored"));
      ws.exceptionHandler(e -> LOG.fine(() -> Kv.event("connection.error").kv("url", url).kv("error", e.getMessage())
          .toString()));
      ws.closeHandler(v -> onClose(s, ws, welcomed, since[0]));
      return agent.hello().compose(s::send).compose(v -> welcomed.future())
          .onFailure(e -> s.close((short) CloseCodes.POLICY_VIOLATION, "handshake failed"));
    });
  }

  private void onFrame(NodeSession s, String text, Promise<Void> welcomed, long welcomeTimer, Instant[] since) {
    NodeMessage m;
    try {
      m = NodeMessage.decode(text);
    } catch (ProtocolException e) {
      LOG.warning(Kv.event("frame.invalid").kv("reason", e.reason().label()).kv("detail", e.getMessage()).toString());
      return;
    }
    if (m instanceof NodeMessage.Welcome w) {
      if (s.nodeId() == null) {
        vertx.cancelTimer(welcomeTimer);
        s.nodeId(w.nodeId());
        since[0] = now.get();
        attempts = 0;
        LOG.info(Kv.event("connected").kv("url", s.url()).kv("nodeId", w.nodeId())
            .kv("heartbeatSeconds", w.heartbeatSeconds()).toString());
        welcomed.tryComplete();
        agent.welcomed(s, w);
      }
      return;
    }
    if (s.nodeId() == null) {
      LOG.fine(() -> Kv.event("frame.before.welcome").kv("type", m.type()).toString());
      return;
    }
    if (m instanceof NodeMessage.Reconnect r) {
      reconnectLater(s, r);
      return;
    }
    if (m instanceof NodeMessage.Unknown u) {
      LOG.fine(() -> Kv.event("frame.unknown").kv("type", u.type()).toString());
      return;
    }
    agent.received(m);
  }

  private void reconnectLater(NodeSession s, NodeMessage.Reconnect r) {
    String target = r.url();
    if (target != null && !policy.allowed(target, true)) {
      LOG.warning(Kv.event("reconnect.url.refused").kv("url", target).toString());
      target = null;
    }
    String to = target;
    LOG.info(Kv.event("reconnect.requested").kv("url", to == null ? "(bootstrap)" : to)
        .kv("afterMillis", r.afterMillis()).toString());
    vertx.setTimer(Math.max(1, r.afterMillis()), id -> {
      if (session != s || stopped) {
        return;
      }
      redirectUrl = to;
      immediateReconnect = true;
      s.close((short) CloseCodes.GOING_AWAY, "reconnect requested");
    });
  }

  private void onClose(NodeSession s, WebSocket ws, Promise<Void> welcomed, Instant since) {
    String reason = ws.closeStatusCode() == null ? "connection lost"
        : "closed " + ws.closeStatusCode() + (ws.closeReason() == null ? "" : " " + ws.closeReason());
    boolean wasWelcomed = s.nodeId() != null;
    if (session == s) {
      session = null;
    }
    if (!welcomed.future().isComplete()) {
      welcomed.tryFail(reason + " before welcome");
      return;
    }
    agent.closed(s, reason);
    if (stopped || !wasWelcomed) {
      return;
    }
    if (since != null && Duration.between(since, now.get()).compareTo(stableConnection) >= 0) {
      backoff.reset();
    }
    long delay;
    if (immediateReconnect) {
      immediateReconnect = false;
      delay = 0;
    } else {
      delay = backoff.nextDelayMillis();
    }
    LOG.info(Kv.event("disconnected").kv("url", s.url()).kv("reason", reason).kv("retryInMillis", delay).toString());
    schedule(delay);
  }

  private void connectFailed(Throwable e) {
    if (stopped) {
      return;
    }
    session = null;
    long delay;
    Level level = Level.INFO;
    String why = e.getMessage();
    if (e instanceof UpgradeRejectedException rej) {
      int status = rej.getStatus();
      if (status == 401 || status == 403) {
        level = Level.WARNING;
        why = status == 401 ? "HTTP 401: the node does not accept this agent's credential (wrong secret?)"
            : "HTTP 403: this agent has been revoked; an administrator must re-enroll it";
        delay = backoff.capDelayMillis();
      } else if (status == 503) {
        long ra = RetryAfter.seconds(rej.getHeaders() == null ? null : rej.getHeaders().get("Retry-After"), now.get());
        why = "HTTP 503: node busy" + (ra >= 0 ? ", Retry-After " + ra + " s" : "");
        delay = ra >= 0 ? backoff.retryAfterMillis(ra) : backoff.nextDelayMillis();
      } else {
        why = "HTTP " + status;
        delay = backoff.nextDelayMillis();
      }
    } else {
      delay = backoff.nextDelayMillis();
    }
    LOG.log(level, Kv.event("connect.failed").kv("attempt", attempts).kv("reason", why)
        .kv("retryInMillis", delay).toString());
    schedule(delay);
  }

  private void schedule(long delay) {
    cancelRetry();
    if (stopped) {
      return;
    }
    retryTimer = vertx.setTimer(Math.max(1, delay), id -> cycle());
  }

  private void cancelRetry() {
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }
}
