package io.fleetcast.agent.content;

import io.fleetcast.protocol.ByteRange;
import io.fleetcast.protocol.ContentToken;
import io.fleetcast.protocol.log.Kv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Serves this agent's verified cache to agents of its subnet ({@code GET /content/<sha256>},
 * Range): only with a content token signed by the gateway for that blob and not expired, at
 * most {@code maxConcurrent} transfers (503 + Retry-After above), all of them together paced to
 * {@code maxKbps} so serving never eats the machine's link.
 */
public final class PeerServer {
  private static final Logger LOG = Logger.getLogger(PeerServer.class.getName());

  private final Vertx vertx;
  private final ContentCache cache;
  private final Supplier<Collection<PublicKey>> keys;
  private final ContentOptions options;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private Throttle throttle;
  private HttpServer server;

  public PeerServer(Vertx vertx, ContentCache cache, Supplier<Collection<PublicKey>> keys, ContentOptions options) {
    this.vertx = vertx;
    this.cache = cache;
    this.keys = keys;
    this.options = options;
  }

  /** Listens; the answer is the URL to announce. */
  public Future<String> start() {
    throttle = Throttle.kbps(options.peerMaxKbps(), System.nanoTime());
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.peerHost()).setPort(options.peerPort())
            .setIdleTimeout(60).setMaxHeaderSize(8 * 1024))
        .requestHandler(this::handle).listen()
        .map(s -> {
          server = s;
          String url = "http://" + options.peerHost() + ":" + s.actualPort();
          LOG.info(Kv.event("peer.started").kv("url", url).toString());
          return url;
        });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Bytes sent to peers so far. */
  public long bytesServed() {
    return served.get();
  }

  /** Requests refused (bad token, busy, missing content). */
  public long refused() {
    return refused.get();
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    if (!path.startsWith("/content/") || !"GET".equals(req.method().name())) {
      problem(req.response(), 404, "no such resource");
      return;
    }
    String sha = path.substring("/content/".length());
    if (!sha.matches("[0-9a-f]{64}")) {
      problem(req.response(), 404, "content ids are lower-case sha256 hex");
      return;
    }
    Optional<ContentToken.Problem> bad = ContentToken.check(req.getHeader(ContentToken.HEADER), sha, Instant.now(),
        keys.get());
    if (bad.isPresent()) {
      problem(req.response(), 401, bad.get().text());
      return;
    }
    if (active.get() >= options.peerMaxConcurrent()) {
      req.response().putHeader("Retry-After", "1");
      problem(req.response(), 503, "peer busy");
      return;
    }
    active.incrementAndGet();
    cache.pin(sha);
    Runnable done = () -> {
      active.decrementAndGet();
      cache.unpin(sha);
    };
    vertx.executeBlocking(() -> {
      Path f = cache.lookup(sha);
      return f == null ? null : new Object[] {f, Files.size(f)};
    }, false).onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        done.run();
        problem(req.response(), 404, "not in this peer's cache");
        return;
      }
      Path file = (Path) ar.result()[0];
      long size = (Long) ar.result()[1];
      ByteRange range;
      try {
        range = ByteRange.parse(req.getHeader("Range"), size);
      } catch (ByteRange.Unsatisfiable e) {
        done.run();
        req.response().putHeader("Content-Range", "bytes */" + size);
        problem(req.response(), 416, e.getMessage());
        return;
      }
      send(req.response(), file, size, range).onComplete(x -> done.run());
    });
  }

  private Future<Void> send(HttpServerResponse resp, Path file, long size, ByteRange range) {
    resp.setStatusCode(range.partial() ? 206 : 200).putHeader("Accept-Ranges", "bytes")
        .putHeader("Content-Length", String.valueOf(range.length()));
    if (range.partial()) {
      resp.putHeader("Content-Range", range.contentRange(size));
    }
    return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)).compose(f -> {
      f.setReadPos(range.offset()).setReadLength(range.length());
      io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
      f.handler(buf -> {
        resp.write(buf);
        served.addAndGet(buf.length());
        long pause = throttle.take(buf.length(), System.nanoTime());
        if (resp.writeQueueFull() || pause > 0) {
          f.pause();
          Runnable resume = () -> {
            if (resp.writeQueueFull()) {
              resp.drainHandler(v -> f.resume());
            } else {
              f.resume();
            }
          };
          if (pause > 0) {
            vertx.setTimer(pause, t -> resume.run());
          } else {
            resume.run();
          }
        }
      });
      f.exceptionHandler(p::tryFail);
      f.endHandler(v -> resp.end().onComplete(x -> p.tryComplete()));
      resp.closeHandler(v -> p.tryComplete());
      return p.future().eventually(() -> closeQuietly(f));
    });
  }

  private static Future<Void> closeQuietly(AsyncFile f) {
    return f.close().recover(e -> Future.succeededFuture());
  }

  private void problem(HttpServerResponse resp, int status, String detail) {
    refused.incrementAndGet();
    resp.setStatusCode(status).putHeader("Content-Type", "application/problem+json")
        .end(new JsonObject().put("status", status).put("title", detail).put("detail", detail).encode());
  }
}
