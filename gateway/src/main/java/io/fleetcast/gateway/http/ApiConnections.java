package io.fleetcast.gateway.http;

import io.fleetcast.common.log.Kv;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * What a client can hold on the API port, bounded: open connections ({@code api.maxConnections};
 * above it a new connection is closed at once), the time to send the request headers
 * ({@code api.requestTimeoutSeconds} from the connect, {@code api.keepAliveSeconds} from the
 * previous answer on a kept-alive connection) and the time to send the body (again
 * {@code api.requestTimeoutSeconds}: 408 and close). A connection whose request body was not read
 * (refused before it: 401, 429, 404, ...) is closed after the answer instead of being kept alive,
 * so the unread body is never buffered ({@link LingeringClose}: the rest is dropped, bounded, so
 * that the client can read the answer).
 */
final class ApiConnections {
  private static final Logger LOG = Logger.getLogger(ApiConnections.class.getName());

  private static final String PAUSED = "fleetcast.paused";
  private final Vertx vertx;
  private final ApiLimits limits;
  private final GatewayMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicBoolean framingWarned = new java.util.concurrent.atomic.AtomicBoolean();
  /** Per connection: the timer waiting for the next request's headers. */
  private final Map<HttpConnection, Long> headerTimers = new ConcurrentHashMap<>();

  ApiConnections(Vertx vertx, ApiLimits limits, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.limits = limits;
    this.metrics = metrics;
  }

  int open() {
    return open.get();
  }

  /** The server's connection handler. */
  void onConnection(HttpConnection conn, HttpServerOptions options) {
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      metrics.rejected("too_many_connections");
      conn.close();
      return;
    }
    conn.closeHandler(v -> {
      open.decrementAndGet();
      cancelHeaderTimer(conn);
    });
    if (!StrictFraming.install(conn, options) && !framingWarned.getAndSet(true)) {
      // once: a Vert.x upgrade changed the pipeline, requests with both framings are no longer refused
      LOG.warning(Kv.event("api.strict_framing_not_installed", "connection", conn.getClass().getName()));
    }
    // a client that connects and does not send its request in time is counted; an idle kept-alive one is not
    armHeaderTimer(conn, limits.requestTimeoutSeconds(), () -> metrics.rejected("timeout"));
  }

  /** The server's invalid-request handler: ambiguous framing gets 400 and the connection closed. */
  void onInvalidRequest(HttpServerRequest req) {
    if (!StrictFraming.isAmbiguous(req)) {
      HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(req);
      return;
    }
    metrics.rejected("bad_framing");
    HttpConnection conn = req.connection();
    req.response().setStatusCode(400).putHeader("Content-Type", Http.PROBLEM_JSON).putHeader("Connection", "close")
        .end(Problem.badFraming("Content-Length and Transfer-Encoding must not be sent together").toJson().encode())
        .onComplete(ar -> conn.close());
  }

  /** The router's first handler: the headers are in; bound the body and decide what happens after the answer. */
  void onRequest(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    HttpConnection conn = req.connection();
    cancelHeaderTimer(conn);
    long bodyTimer = req.isEnded() ? -1 : vertx.setTimer(limits.requestTimeoutSeconds() * 1000L, t -> bodyLate(req));
    ctx.addHeadersEndHandler(v -> {
      if (unread(ctx)) {
        ctx.response().putHeader("Connection", "close");
      }
    });
    ctx.addEndHandler(ar -> {
      if (bodyTimer >= 0) {
        vertx.cancelTimer(bodyTimer);
      }
      if (unread(ctx)) {
        // an unread body: never kept (or read) for the next request; dropped until the answer is safe
        LingeringClose.drainThenClose(vertx, req);
      } else {
        armHeaderTimer(conn, limits.keepAliveSeconds(), () -> { });
      }
    });
    ctx.next();
  }

  /**
   * Stops reading the request until a body handler resumes it. A request that announces no body
   * (no Content-Length or a zero one, no Transfer-Encoding: a GET, most DELETEs) is not paused:
   * there is nothing to hold back, and a paused one would never end, so its connection would be
   * closed after the answer and a long download (package content, agent releases) cut by the body
   * deadline.
   */
  static void pause(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (!req.isEnded() && mayHaveBody(req)) {
      req.pause();
      ctx.put(PAUSED, Boolean.TRUE);
    }
  }

  private static boolean mayHaveBody(HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    return req.headers().contains("Transfer-Encoding") || (length != null && !length.trim().equals("0"))
        || req.version() == io.vertx.core.http.HttpVersion.HTTP_1_0;
  }

  /**
   * Paused and not read to its end (refused before its body, or a body over the limit): what is
   * left of it is still on the connection. A request read by a body handler has ended before its
   * handler answers; one that was never paused (health, metrics) is left to Vert.x.
   */
  private static boolean unread(RoutingContext ctx) {
    return ctx.get(PAUSED) != null && !ctx.request().isEnded();
  }

  private void bodyLate(HttpServerRequest req) {
    if (req.isEnded()) {
      return; // read in time; the handler is still working (or streaming), which is not the client's fault
    }
    metrics.rejected("timeout");
    HttpServerResponse res = req.response();
    HttpConnection conn = req.connection();
    if (res.headWritten()) {
      conn.close();
      return;
    }
    res.setStatusCode(408).putHeader("Content-Type", Http.PROBLEM_JSON).putHeader("Connection", "close")
        .end(Problem.requestTimeout(limits.requestTimeoutSeconds()).toJson().encode())
        .onComplete(ar -> conn.close());
  }

  private void armHeaderTimer(HttpConnection conn, int seconds, Runnable onExpiry) {
    long id = vertx.setTimer(seconds * 1000L, t -> {
      if (headerTimers.remove(conn, t)) {
        onExpiry.run();
        conn.close();
      }
    });
    Long previous = headerTimers.put(conn, id);
    if (previous != null) {
      vertx.cancelTimer(previous);
    }
  }

  private void cancelHeaderTimer(HttpConnection conn) {
    Long id = headerTimers.remove(conn);
    if (id != null) {
      vertx.cancelTimer(id);
    }
  }
}
