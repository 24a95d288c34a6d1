package io.fleetcast.node.depot;

import io.fleetcast.common.depot.BlobStore;
import io.fleetcast.common.depot.DepotStore;
import io.fleetcast.common.depot.DepotStore.DepotRow;
import io.fleetcast.common.depot.DepotStore.Work;
import io.fleetcast.common.log.Kv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The SMS "distribute" and "Remove Package" phases for one depot: polls its work in Postgres,
 * fetches each wanted blob from a depot that holds it (hashing while it streams to disk, moved
 * into place only when the hash matches), deletes removed ones. One fetch at a time per blob.
 */
public final class DepotSync {
  private static final Logger LOG = Logger.getLogger(DepotSync.class.getName());

  private final Vertx vertx;
  private final String depot;
  private final DepotStore store;
  private final BlobStore blobs;
  private final DepotTokens tokens;
  private final DepotMetrics metrics;
  private final HttpClient http;
  private final PeerIndex peers;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private long timer = -1;
  private boolean polling;

  public DepotSync(Vertx vertx, String depot, DepotStore store, BlobStore blobs, DepotTokens tokens,
      DepotMetrics metrics, HttpClient http, PeerIndex peers) {
    this.vertx = vertx;
    this.depot = depot;
    this.store = store;
    this.blobs = blobs;
    this.tokens = tokens;
    this.metrics = metrics;
    this.http = http;
    this.peers = peers;
  }

  /** Whether this depot is fetching (or about to fetch) the blob. */
  public boolean fetching(String sha256) {
    return inFlight.contains(sha256);
  }

  public void start(long periodMillis) {
    timer = vertx.setPeriodic(periodMillis, t -> poll());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One pass over this depot's work; completes when the pass has started every item. */
  public Future<Void> poll() {
    if (polling) {
      return Future.succeededFuture();
    }
    polling = true;
    return store.work(depot, 16).onComplete(ar -> polling = false).map(work -> {
      for (Work w : work) {
        if (!inFlight.add(w.sha256())) {
          continue;
        }
        Future<Void> job = "removing".equals(w.state()) ? remove(w.sha256()) : fetch(w.sha256());
        job.onComplete(x -> inFlight.remove(w.sha256()));
      }
      return null;
    });
  }

  private Future<Void> remove(String sha) {
    return vertx.executeBlocking(() -> blobs.delete(sha), false)
        .compose(x -> peers == null ? Future.succeededFuture(0) : peers.purge(sha))
        .compose(x -> store.forget(depot, sha))
        .onSuccess(v -> LOG.info(Kv.event("depot.removed", "depot", depot, "sha256", sha)))
        .onFailure(e -> LOG.warning(Kv.event("depot.remove_failed", "depot", depot, "sha256", sha, "error", e.getMessage())));
  }

  private Future<Void> fetch(String sha) {
    return store.transition(depot, sha, "wanted", "fetching", null).compose(mine -> {
      if (!mine) {
        return Future.succeededFuture();
      }
      return vertx.executeBlocking(() -> blobs.has(sha), false).compose(held -> held ? Future.succeededFuture()
              : store.holders(sha, depot).compose(holders -> tryHolders(sha, holders, 0)))
          .compose(v -> store.transition(depot, sha, "fetching", "ready", null).<Void>mapEmpty())
          .onSuccess(v -> LOG.info(Kv.event("depot.ready", "depot", depot, "sha256", sha)))
          .recover(e -> {
            LOG.warning(Kv.event("depot.fetch_failed", "depot", depot, "sha256", sha, "error", e.getMessage()));
            // back to wanted: the next poll tries again (a holder may appear)
            return store.transition(depot, sha, "fetching", "wanted", e.getMessage()).mapEmpty();
          });
    });
  }

  private Future<Void> tryHolders(String sha, List<DepotRow> holders, int i) {
    if (i >= holders.size()) {
      return Future.failedFuture("no depot holds " + sha + " yet");
    }
    return download(sha, holders.get(i).url()).recover(e -> {
      LOG.fine(() -> Kv.event("depot.fetch_source_failed", "depot", depot, "from", holders.get(i).name(),
          "error", e.getMessage()));
      return tryHolders(sha, holders, i + 1);
    });
  }

  private Future<Void> download(String sha, String baseUrl) {
    String url = baseUrl.endsWith("/") ? baseUrl + "content/" + sha : baseUrl + "/content/" + sha;
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setConnectTimeout(10_000)
        .setIdleTimeout(60_000).putHeader(DepotTokens.HEADER, tokens.issue(sha, Duration.ofMinutes(10), Instant.now()));
    return vertx.executeBlocking(blobs::newTemp, false).compose(temp -> http.request(ro).compose(req -> req.send())
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return resp.body().compose(b -> Future.failedFuture(url + " answered " + resp.statusCode()));
          }
          resp.pause();
          MessageDigest md = sha256Digest();
          return vertx.fileSystem().open(temp.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true))
              .compose(file -> {
                Promise<Void> done = Promise.promise();
                resp.handler(buf -> {
                  md.update(buf.getBytes());
                  metrics.fetched(buf.length());
                  file.write(buf);
                  if (file.writeQueueFull()) {
                    resp.pause();
                    file.drainHandler(v -> resp.resume());
                  }
                });
                resp.exceptionHandler(done::tryFail);
                resp.endHandler(v -> done.tryComplete());
                resp.resume();
                return done.future().eventually(file::close);
              })
              .compose(v -> {
                String actual = HexFormat.of().formatHex(md.digest());
                if (!actual.equals(sha)) {
                  return Future.failedFuture("hash mismatch from " + url + ": got " + actual);
                }
                return vertx.executeBlocking(() -> blobs.adopt(temp, sha), false).<Void>mapEmpty();
              });
        })
        .onFailure(e -> vertx.executeBlocking(() -> Files.deleteIfExists(temp), false)));
  }

  static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** For tests. */
  Path dir() {
    return blobs.dir();
  }
}
