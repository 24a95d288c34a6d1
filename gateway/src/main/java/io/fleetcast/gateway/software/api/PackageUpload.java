package io.fleetcast.gateway.software.api;

import io.fleetcast.common.depot.BlobStore;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.software.ReceivedUpload;
import io.fleetcast.gateway.software.SoftwareMetrics;
import io.fleetcast.gateway.software.SoftwareService;
import io.fleetcast.gateway.software.UploadRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * {@code POST /api/v1/packages}: streams the raw body to a temporary file while hashing it
 * (never held in memory; the socket is paused while the disk catches up), refuses it above
 * {@code packages.maxBytes} as soon as that is known (413), and hands a complete upload to the
 * service. Mounted before the buffering body handler, after authentication: nothing is read
 * from an unauthenticated request. Any refusal deletes the temporary file.
 */
public final class PackageUpload implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final BlobStore blobs;
  private final long maxBytes;
  private final SoftwareService service;
  private final SoftwareMetrics metrics;

  public PackageUpload(Vertx vertx, BlobStore blobs, long maxBytes, SoftwareService service, SoftwareMetrics metrics) {
    this.vertx = vertx;
    this.blobs = blobs;
    this.maxBytes = maxBytes;
    this.service = service;
    this.metrics = metrics;
  }

  /** First handler of the route: keeps the body in the socket until authentication has passed. */
  public static void pause(RoutingContext ctx) {
    ctx.request().pause();
    // refused before the body was read (401, 403, 400, 413): on HTTP/1.x the unread body must not
    // be taken for the next request on this connection, so the answer closes it. HTTP/2 streams
    // share the connection's flow-control window (and forbid Connection headers): the refused
    // stream's body is read and dropped, so the other streams keep flowing; the connection stays.
    if (ctx.request().version() == io.vertx.core.http.HttpVersion.HTTP_2) {
      ctx.addEndHandler(v -> {
        if (!ctx.request().isEnded()) {
          ctx.request().handler(b -> { }).resume();
        }
      });
    } else {
      ctx.addHeadersEndHandler(v -> {
        if (!ctx.request().isEnded()) {
          ctx.response().putHeader("Connection", "close");
        }
      });
      ctx.addEndHandler(v -> {
        if (!ctx.request().isEnded()) {
          io.fleetcast.gateway.http.LingeringClose.drainThenClose(ctx.vertx(), ctx.request());
        }
      });
    }
    ctx.next();
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    UploadRequest up;
    try {
      up = UploadRequest.parse(req);
    } catch (Problem p) {
      metrics.upload("invalid", 1);
      refuse(ctx, p);
      return;
    }
    if (up.contentLength() != null && up.contentLength() > maxBytes) {
      metrics.upload("tooLarge", 1);
      refuse(ctx, tooLarge());
      return;
    }
    Future<ReceivedUpload> received = vertx.executeBlocking(blobs::newTemp, false).compose(temp -> receive(req, up, temp)
        .onFailure(e -> vertx.executeBlocking(() -> Files.deleteIfExists(temp), false)));
    Http.reply(ctx, 201, received.compose(r -> service.store(r, Http.principal(ctx), Http.remote(ctx))
        .onFailure(e -> vertx.executeBlocking(() -> Files.deleteIfExists(r.temp()), false))
        .onSuccess(p -> metrics.stored(r.size()))));
  }

  private Future<ReceivedUpload> receive(HttpServerRequest req, UploadRequest up, Path temp) {
    MessageDigest md = sha256();
    return vertx.fileSystem().open(temp.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
        .compose(file -> {
          Promise<Long> done = Promise.promise();
          long[] count = {0};
          req.handler(buf -> {
            count[0] += buf.length();
            if (count[0] > maxBytes) {
              req.handler(null);
              metrics.upload("tooLarge", 1);
              done.tryFail(tooLarge());
              return;
            }
            md.update(buf.getBytes());
            file.write(buf);
            if (file.writeQueueFull()) {
              req.pause();
              file.drainHandler(v -> req.resume());
            }
          });
          req.exceptionHandler(e -> {
            metrics.upload("aborted", 1);
            done.tryFail(Problem.badRequest("upload aborted after " + count[0] + " bytes: " + e.getMessage()));
          });
          req.endHandler(v -> done.tryComplete(count[0]));
          req.resume();
          return done.future().eventually(() -> closeQuietly(file));
        })
        .compose(size -> check(up, temp, HexFormat.of().formatHex(md.digest()), size));
  }

  private Future<ReceivedUpload> check(UploadRequest up, Path temp, String sha, long size) {
    long expected = up.expectedSize() != null ? up.expectedSize() : up.contentLength() != null ? up.contentLength() : -1;
    if (expected >= 0 && size != expected) {
      metrics.upload("truncated", 1);
      return Future.failedFuture(Problem.badRequest("truncated upload: received " + size + " of " + expected
          + " bytes; nothing stored"));
    }
    if (up.expectedSha256() != null && !up.expectedSha256().equals(sha)) {
      metrics.upload("hashMismatch", 1);
      return Future.failedFuture(Problem.badRequest("upload's sha256 is " + sha + ", the request said "
          + up.expectedSha256() + "; nothing stored"));
    }
    return Future.succeededFuture(new ReceivedUpload(up, temp, sha, size));
  }

  private Problem tooLarge() {
    return new Problem(413, "Payload Too Large", "package uploads are limited to " + maxBytes
        + " bytes (packages.maxBytes); nothing stored", null, null);
  }

  /** Answers before reading the body (the connection then closes, see {@link #pause}). */
  private static void refuse(RoutingContext ctx, Problem p) {
    ctx.fail(p);
  }

  private static Future<Void> closeQuietly(AsyncFile f) {
    return f.close().recover(e -> Future.succeededFuture());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
