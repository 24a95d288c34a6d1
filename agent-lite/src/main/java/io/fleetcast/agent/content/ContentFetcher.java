package io.fleetcast.agent.content;

import io.fleetcast.agent.task.Cancellation;
import io.fleetcast.protocol.ContentToken;
import io.fleetcast.protocol.log.Kv;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Gets a blob onto this machine, verified: from the cache if it is there; else from a peer of
 * this subnet (learned from the nearest depot), then the depots in {@link SourceRanking} order,
 * the origin last. A source that fails or sends bytes that do not hash to the signed sha256 is
 * left for the next (a bad peer can only waste time). The verified blob goes into the cache and,
 * when this agent serves peers, is announced to the depot. One fetch per blob at a time: a
 * pre-staged download and the run share it.
 */
public final class ContentFetcher {
  private static final Logger LOG = Logger.getLogger(ContentFetcher.class.getName());

  /** What an install needs: the signed hash, size, file name, sources and peer token, and a bandwidth override. */
  public record Request(String sha256, long size, String fileName, List<Source> depots, String peerToken,
      Long bandwidthKbps) {}

  /** A verified blob and where its bytes came from. */
  public record Fetched(Path file, Tally tally) {}

  /** Content could not be fetched from any source; the message says why, per source. */
  public static final class FetchFailed extends RuntimeException {
    public FetchFailed(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final WorkerExecutor worker;
  private final ContentCache cache;
  private final ContentOptions options;
  private final Prober prober;
  private final Supplier<String> credentialHeader;
  private final Supplier<List<String>> addresses;
  private final java.util.function.UnaryOperator<String> depotPolicy;
  private final SourceDownload download;
  private final Map<String, Future<Fetched>> inFlight = new ConcurrentHashMap<>();
  /** Blobs announced as peer content, and the depot they were announced to (re-announced until evicted). */
  private final Map<String, Source> announced = new ConcurrentHashMap<>();
  private volatile String peerUrl;

  /**
   * @param depotPolicy answers null when a depot URL may be used, else why not (the agent's
   *     credential goes to depots: plain http only in dev mode)
   */
  public ContentFetcher(Vertx vertx, HttpClient http, WorkerExecutor worker, ContentCache cache, ContentOptions options,
      Supplier<String> credentialHeader, Supplier<List<String>> addresses,
      java.util.function.UnaryOperator<String> depotPolicy) {
    this.depotPolicy = depotPolicy;
    this.vertx = vertx;
    this.http = http;
    this.worker = worker;
    this.cache = cache;
    this.options = options;
    this.prober = new Prober(vertx, (int) options.probeTimeout().toMillis());
    this.credentialHeader = credentialHeader;
    this.addresses = addresses;
    this.download = new SourceDownload(vertx, http, worker, options.attemptsPerSource(),
        options.maxSourceWait().toMillis());
  }

  /** Where this agent serves peers (set once its peer server listens), announced with every verified blob. */
  public void peerUrl(String url) {
    this.peerUrl = url;
  }

  public ContentCache cache() {
    return cache;
  }

  /** The verified blob; shares a fetch already running for the same hash. Call on the agent's context. */
  public Future<Fetched> fetch(Request r, Cancellation cancellation, BiConsumer<Integer, String> progress) {
    return inFlight.computeIfAbsent(r.sha256(), k -> start(r, cancellation, progress)
        .onComplete(x -> inFlight.remove(r.sha256())));
  }

  private Future<Fetched> start(Request r, Cancellation cancellation, BiConsumer<Integer, String> progress) {
    Tally tally = new Tally();
    return worker.executeBlocking(() -> cache.lookup(r.sha256()), false).compose(hit -> {
      if (hit != null) {
        tally.fromCache(r.size());
        return Future.succeededFuture(new Fetched(hit, tally));
      }
      String refused = downloadRefused();
      if (refused != null) {
        return Future.failedFuture(new FetchFailed(refused));
      }
      List<String> refusedDepots = new ArrayList<>();
      List<Source> allowed = r.depots().stream().filter(d -> {
        String why = depotPolicy.apply(d.url());
        if (why != null) {
          refusedDepots.add(d.name() + ": " + why);
        }
        return why == null;
      }).toList();
      if (allowed.isEmpty()) {
        return Future.failedFuture(new FetchFailed("no usable source: " + String.join("; ", refusedDepots)
            + "; nothing downloaded"));
      }
      ContentFetcher.Request usable = new ContentFetcher.Request(r.sha256(), r.size(), r.fileName(), allowed,
          r.peerToken(), r.bandwidthKbps());
      return prober.probe(usable.depots())
          .compose(latency -> {
            SourceRanking ranking = new SourceRanking(options.rule(), options.site(), addresses.get());
            List<Source> depots = ranking.rank(List.of(), usable.depots(), latency);
            return peers(usable, depots).map(peers -> ranking.rank(peers, usable.depots(), latency));
          })
          .compose(order -> worker.executeBlocking(() -> cache.partFile(r.sha256()), false)
              .compose(part -> tryFrom(usable, order, 0, part, tally, cancellation, progress,
                  new ArrayList<>(refusedDepots))));
    });
  }

  private String downloadRefused() {
    if (options.downloadSubnets().isEmpty()) {
      return null;
    }
    for (String a : addresses.get()) {
      for (String cidr : options.downloadSubnets()) {
        if (SourceRanking.contains(cidr, a)) {
          return null;
        }
      }
    }
    return "downloads are allowed only on " + String.join(", ", options.downloadSubnets())
        + " and this machine has no address there now; nothing downloaded";
  }

  /** Asks the first depot that answers for the peers of this agent's subnet holding the blob. */
  private Future<List<Source>> peers(Request r, List<Source> depots) {
    String subnet = options.effectiveSubnet();
    List<Source> askable = depots.stream().filter(d -> d.kind() == Source.Kind.DEPOT).limit(2).toList();
    if (subnet == null || r.peerToken() == null || askable.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Source d = askable.get(0);
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.GET).setConnectTimeout(5000).setIdleTimeout(10_000)
        .setAbsoluteURI(d.contentUrl(r.sha256()) + "/peers?subnet=" + subnet)
        .putHeader("Authorization", credentialHeader.get());
    return http.request(ro).compose(req -> req.send()).compose(resp -> resp.body().map(b -> {
      if (resp.statusCode() != 200) {
        return List.<Source>of();
      }
      List<Source> out = new ArrayList<>();
      JsonArray arr = new JsonObject(b).getJsonArray("peers", new JsonArray());
      for (Object o : arr) {
        JsonObject p = (JsonObject) o;
        if (!p.getString("url", "").equals(peerUrl)) {
          out.add(new Source("peer:" + p.getString("agentId"), p.getString("url"), null, List.of(), Source.Kind.PEER));
        }
      }
      return out;
    })).recover(e -> Future.succeededFuture(List.of()));
  }

  private Future<Fetched> tryFrom(Request r, List<Source> order, int i, Path part, Tally tally,
      Cancellation cancellation, BiConsumer<Integer, String> progress, List<String> failures) {
    if (i >= order.size() || cancellation.cancelled()) {
      return Future.failedFuture(new FetchFailed(cancellation.cancelled() ? "cancelled during download"
          : "no source delivered " + r.sha256() + " (" + String.join("; ", failures) + "); nothing run"));
    }
    Source s = order.get(i);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (s.kind() == Source.Kind.PEER) {
      headers.add(ContentToken.HEADER, r.peerToken());
    } else {
      headers.add("Authorization", credentialHeader.get());
    }
    long kbps = r.bandwidthKbps() != null ? r.bandwidthKbps() : options.bandwidthKbps();
    Throttle throttle = Throttle.kbps(kbps, System.nanoTime());
    long[] seen = {0};
    int[] quarter = {0};
    SourceDownload.Job job = new SourceDownload.Job(s, s.contentUrl(r.sha256()), r.size(), headers, throttle, n -> {
      tally.add(s.kind(), n);
      seen[0] += n;
      int q = r.size() > 0 ? (int) Math.min(3, seen[0] * 4 / r.size()) : 0;
      if (q > quarter[0]) {
        quarter[0] = q;
        progress.accept(q * 25, "downloading from " + s.kind().tally() + " " + s.name());
      }
    }, cancellation);
    return download.run(job, part)
        .compose(v -> verify(part, r))
        .compose(v -> worker.executeBlocking(() -> cache.adopt(part, r.sha256(), r.fileName()), false))
        .map(file -> {
          tally.source(s);
          announce(r, order);
          return new Fetched(file, tally);
        })
        .recover(e -> {
          failures.add(s.name() + ": " + e.getMessage());
          LOG.fine(() -> Kv.event("content.source_failed").kv("source", s.name()).kv("error", e.getMessage())
              .toString());
          // a peer is not trusted: a depot does not resume on top of its bytes
          Future<Void> reset = s.kind() == Source.Kind.PEER
              ? worker.executeBlocking(() -> Files.deleteIfExists(part), false).mapEmpty() : Future.succeededFuture();
          return reset.compose(v -> tryFrom(r, order, i + 1, part, tally, cancellation, progress, failures));
        });
  }

  /** Hashes the assembled file; a mismatch deletes it (we cannot tell which bytes were bad). */
  private Future<Void> verify(Path part, Request r) {
    return worker.<String>executeBlocking(() -> {
      long size = Files.size(part);
      String actual = io.fleetcast.agent.task.kinds.Downloader.sha256(part);
      if (size == r.size() && actual.equals(r.sha256())) {
        return null;
      }
      Files.deleteIfExists(part);
      return "sent content that does not match the signed sha256 (" + size + " bytes, sha256 " + actual + ")";
    }, false).compose(problem -> problem == null ? Future.succeededFuture() : Future.failedFuture(problem));
  }

  /**
   * Announces again every blob this agent announced and still holds (index entries expire after
   * {@code depot.peerTtlSeconds}); drops the ones the cache evicted. Call on the agent's context.
   */
  public void reannounce() {
    for (Map.Entry<String, Source> e : announced.entrySet()) {
      String sha = e.getKey();
      worker.executeBlocking(() -> cache.lookup(sha) != null, false).onSuccess(held -> {
        if (held) {
          post(sha, e.getValue());
        } else {
          announced.remove(sha);
        }
      });
    }
  }

  private void announce(Request r, List<Source> order) {
    if (peerUrl == null || options.effectiveSubnet() == null) {
      return;
    }
    order.stream().filter(s -> s.kind() == Source.Kind.DEPOT).findFirst().ifPresent(d -> {
      announced.put(r.sha256(), d);
      post(r.sha256(), d);
    });
  }

  private void post(String sha256, Source d) {
    String url = peerUrl;
    String subnet = options.effectiveSubnet();
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setConnectTimeout(5000).setIdleTimeout(10_000)
        .setAbsoluteURI(d.contentUrl(sha256) + "/peers").putHeader("Authorization", credentialHeader.get())
        .putHeader("Content-Type", "application/json");
    http.request(ro).compose(req -> req.send(new JsonObject().put("subnet", subnet).put("url", url).encode()))
        .compose(resp -> resp.body())
        .onFailure(e -> LOG.fine(() -> Kv.event("content.announce_failed").kv("error", e.getMessage()).toString()));
  }
}
