package io.fleetcast.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

/**
 * Closes an HTTP/1.x connection whose request body was refused unread (401, 413, ...), after the
 * answer, without destroying the answer. Closing a socket with unread bytes in its receive buffer
 * makes the kernel send a reset, and a reset makes the client's kernel drop what it had received
 * but not yet read: a client still sending its body would see "connection reset" instead of the
 * 413 it was sent. So the rest of the body is read and dropped (never buffered) until it ends, at
 * most {@link #MAX_BYTES} and {@link #MAX_MILLIS}, then the connection is closed (the answer said
 * {@code Connection: close}). The bounds keep a client that goes on sending from holding it.
 */
public final class LingeringClose {
  static final long MAX_BYTES = 2L * 1024 * 1024;
  static final long MAX_MILLIS = 2_000;

  private LingeringClose() {
  }

  /** Drops what is left of {@code req}'s body, then closes its connection. */
  public static void drainThenClose(Vertx vertx, HttpServerRequest req) {
    HttpConnection conn = req.connection();
    if (req.isEnded()) {
      conn.close();
      return;
    }
    long timer = vertx.setTimer(MAX_MILLIS, t -> conn.close());
    long[] dropped = {0};
    Runnable close = () -> {
      vertx.cancelTimer(timer);
      conn.close();
    };
    try {
      req.handler(b -> {
        dropped[0] += b.length();
        if (dropped[0] > MAX_BYTES) {
          close.run();
        }
      });
      req.endHandler(v -> close.run());
      req.exceptionHandler(e -> close.run());
      req.resume();
    } catch (IllegalStateException e) {
      close.run(); // the request ended (or was reset) in between: nothing left to drop
    }
  }
}
