package io.fleetcast.node.depot;

import io.fleetcast.common.depot.BlobStore;
import io.fleetcast.node.agent.AgentAuthenticator;
import io.fleetcast.protocol.ByteRange;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Instant;
import java.util.function.Function;

/**
 * {@code GET /content/<sha256>}: sends a blob with {@code Range} support to fleet members only
 * (an agent credential or a depot token). Plain Vert.x core, so a depot process and the
 * gateway's origin serve content the same way. Bounded: at most {@code maxConcurrent}
 * transfers at once (503 + Retry-After above it).
 */
public final class ContentHandler {
  private final Vertx vertx;
  private final BlobStore blobs;
  private final AgentAuthenticator agents;
  private final DepotTokens tokens;
  private final DepotMetrics metrics;
  private final int maxConcurrent;
  private final Function<String, io.vertx.core.Future<Boolean>> willHold;

  /**
   * @param willHold answers whether the depot is about to hold a blob it lacks (asked to fetch
   *     it, or fetching it): then the caller is told to retry soon instead of going to a farther
   *     source such as the origin
   */
  public ContentHandler(Vertx vertx, BlobStore blobs, AgentAuthenticator agents, DepotTokens tokens,
      DepotMetrics metrics, int maxConcurrent, Function<String, io.vertx.core.Future<Boolean>> willHold) {
    this.vertx = vertx;
    this.blobs = blobs;
    this.agents = agents;
    this.tokens = tokens;
    this.metrics = metrics;
    this.maxConcurrent = maxConcurrent;
    this.willHold = willHold;
  }

  /** The caller's identity if it may fetch {@code sha256}: an agent id, "depot", or null (answered 401). */
  public String authorize(HttpServerRequest req, String sha256) {
    String depotToken = req.getHeader(DepotTokens.HEADER);
    if (depotToken != null) {
      String problem = tokens.problem(depotToken, sha256, Instant.now());
      if (problem == null) {
        return "depot";
      }
      metrics.request("unauthorized", 1);
      problem(req.response(), 401, problem);
      return null;
    }
    AgentAuthenticator.Verdict v = agents.check(req.getHeader("Authorization"));
    if (v instanceof AgentAuthenticator.Verdict.Accepted a) {
      return a.agentId();
    }
    metrics.request("unauthorized", 1);
    problem(req.response(), v instanceof AgentAuthenticator.Verdict.Revoked ? 403 : 401,
        v instanceof AgentAuthenticator.Verdict.Unauthorized u ? "content needs an agent credential or depot token: "
            + u.why() : "agent revoked");
    return null;
  }

  public void handle(HttpServerRequest req, String sha256) {
    if (!BlobStore.isSha256(sha256)) {
      metrics.request("notFound", 1);
      problem(req.response(), 404, "content ids are lower-case sha256 hex");
      return;
    }
    if (authorize(req, sha256) == null) {
      return;
    }
    String range = req.getHeader("Range");
    vertx.executeBlocking(() -> blobs.has(sha256) ? Files.size(blobs.path(sha256)) : -1L, false).onComplete(ar -> {
      long size = ar.succeeded() ? ar.result() : -1L;
      if (size < 0) {
        metrics.miss();
        metrics.request("notFound", 1);
        willHold.apply(sha256).otherwise(false).onSuccess(soon -> {
          if (soon) {
            req.response().putHeader("Retry-After", "2");
            problem(req.response(), 503, "this depot is fetching the content; retry shortly");
          } else {
            problem(req.response(), 404, "this depot does not hold " + sha256);
          }
        });
        return;
      }
      metrics.hit();
      send(req, sha256, size, range);
    });
  }

  private void send(HttpServerRequest req, String sha256, long size, String rangeHeader) {
    ByteRange range;
    try {
      range = ByteRange.parse(rangeHeader, size);
    } catch (ByteRange.Unsatisfiable e) {
      metrics.request("badRange", 1);
      req.response().putHeader("Content-Range", "bytes */" + size);
      problem(req.response(), 416, e.getMessage());
      return;
    }
    if (metrics.active() >= maxConcurrent) {
      metrics.request("busy", 1);
      req.response().putHeader("Retry-After", "1");
      problem(req.response(), 503, "depot busy: " + maxConcurrent + " downloads in progress");
      return;
    }
    metrics.begin();
    metrics.request("ok", 1);
    HttpServerResponse resp = req.response();
    resp.setStatusCode(range.partial() ? 206 : 200).putHeader("Accept-Ranges", "bytes")
        .putHeader("Content-Type", "application/octet-stream");
    if (range.partial()) {
      resp.putHeader("Content-Range", range.contentRange(size));
    }
    boolean[] ended = {false};
    Runnable end = () -> {
      if (!ended[0]) {
        ended[0] = true;
        metrics.end();
        metrics.served(Math.max(0, resp.bytesWritten()));
      }
    };
    resp.closeHandler(v -> end.run());
    resp.sendFile(blobs.path(sha256).toString(), range.offset(), range.length()).onComplete(x -> end.run());
  }

  static void problem(HttpServerResponse resp, int status, String detail) {
    if (resp.ended() || resp.headWritten()) {
      return;
    }
    resp.setStatusCode(status).putHeader("Content-Type", "application/problem+json")
        .end(new JsonObject().put("type", "about:blank").put("status", status).put("title", detail)
            .put("detail", detail).encode());
  }
}
