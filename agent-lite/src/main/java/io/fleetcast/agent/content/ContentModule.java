package io.fleetcast.agent.content;

import io.fleetcast.agent.task.kinds.ProcessRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The agent's content side, wired in one place: cache, fetcher (source ranking, resumable
 * verified download, peer lookup) and, when configured, the peer server. {@code AgentLite}
 * builds one, hands {@link #install()} to the install kind and starts/stops it with itself.
 */
public final class ContentModule {
  private final ContentCache cache;
  private final ContentFetcher fetcher;
  private final PeerServer peers;
  private final PackageInstall install;
  private volatile String peerUrl;
  private final Vertx vertx;
  private long reannounceTimer = -1;
  /** A third of the depots' default peer-index TTL (depot.peerTtlSeconds = 900). */
  static final long REANNOUNCE_MILLIS = 5 * 60_000;

  public ContentModule(Vertx vertx, HttpClient http, WorkerExecutor worker, Path cacheDir, ContentOptions options,
      Supplier<String> credentialHeader, Supplier<List<String>> addresses, Supplier<Collection<PublicKey>> keys,
      ProcessRunner runner, Path workDir, io.fleetcast.agent.connection.TransportPolicy policy) {
    this.vertx = vertx;
    this.cache = new ContentCache(cacheDir, options.cacheMaxBytes());
    this.fetcher = new ContentFetcher(vertx, http, worker, cache, options, credentialHeader, addresses, url -> {
      try {
        policy.check(url, false); // depots get the agent's credential: https outside dev mode
        return null;
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    });
    this.peers = options.peerHost() == null ? null : new PeerServer(vertx, cache, keys, options);
    this.install = new PackageInstall(fetcher, runner, workDir);
  }

  public PackageInstall install() {
    return install;
  }

  /** Null when this agent does not serve peers. */
  public PeerServer peerServer() {
    return peers;
  }

  /** Where this agent serves its cache to peers, or null. */
  public String peerUrl() {
    return peerUrl;
  }

  public ContentCache cache() {
    return cache;
  }

  public Future<Void> start() {
    return peers == null ? Future.succeededFuture() : peers.start().map(url -> {
      peerUrl = url;
      fetcher.peerUrl(url);
      reannounceTimer = vertx.setPeriodic(REANNOUNCE_MILLIS, t -> fetcher.reannounce());
      return null;
    });
  }

  public Future<Void> stop() {
    if (reannounceTimer >= 0) {
      vertx.cancelTimer(reannounceTimer);
    }
    return peers == null ? Future.succeededFuture() : peers.stop();
  }
}
