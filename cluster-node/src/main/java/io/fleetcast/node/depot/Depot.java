package io.fleetcast.node.depot;

import com.hazelcast.core.HazelcastInstance;
import io.fleetcast.common.depot.BlobStore;
import io.fleetcast.common.depot.DepotStore;
import io.fleetcast.common.log.Kv;
import io.fleetcast.common.runtime.ServerContext;
import io.fleetcast.common.security.AgentSecrets;
import io.fleetcast.node.agent.AgentAuthenticator;
import io.fleetcast.node.agent.RevocationList;
import io.fleetcast.node.depot.PeerSelection.Peer;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * A content depot: serves the blobs it holds ({@code GET /content/<sha256>}, Range), answers the
 * subnet's peer-cache sources ({@code GET /content/<sha256>/peers?subnet=}) and takes peer
 * announcements ({@code POST}), and keeps its holdings in step with Postgres ({@link DepotSync}).
 * Runs in every cluster node and alone in the {@code depot} role (no agent sockets).
 */
public final class Depot {
  private static final Logger LOG = Logger.getLogger(Depot.class.getName());
  private static final int MAX_ANNOUNCE_BYTES = 4096;

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final DepotSettings settings;
  private final String clusterHost;
  private final DepotStore store;
  private final BlobStore blobs;
  private final DepotMetrics metrics;
  private final PeerIndex peers;
  private final DepotSync sync;
  private final ContentHandler content;
  private HttpServer server;
  private String url;

  public Depot(ServerContext context, AgentSecrets secrets, RevocationList revocations, DepotSettings settings,
      String clusterHost) {
    Vertx vertx = context.vertx();
    HazelcastInstance hazelcast = context.hazelcast();
    Pool pool = context.pool();
    MeterRegistry registry = context.registry();
    this.vertx = vertx;
    this.registry = registry;
    this.settings = settings;
    this.clusterHost = clusterHost;
    this.store = new DepotStore(pool);
    this.blobs = new BlobStore(settings.dir());
    this.metrics = new DepotMetrics(registry, "depot");
    DepotTokens tokens = new DepotTokens(secrets);
    this.peers = new PeerIndex(vertx, hazelcast, new PeerSelection(settings.peersPerSubnet(), settings.peerTtl()));
    this.sync = new DepotSync(vertx, settings.name(), store, blobs, tokens, metrics,
        vertx.createHttpClient(new HttpClientOptions(), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(4)), peers);
    this.content = new ContentHandler(vertx, blobs, new AgentAuthenticator(secrets, revocations), tokens, metrics,
        settings.maxConcurrent(), sha -> sync.fetching(sha) ? io.vertx.core.Future.succeededFuture(true)
            : store.wants(settings.name(), sha));
  }

  public String name() {
    return settings.name();
  }

  public String url() {
    return url;
  }

  public BlobStore blobs() {
    return blobs;
  }

  public DepotMetrics metrics() {
    return metrics;
  }

  public DepotSync sync() {
    return sync;
  }

  public Future<Depot> start() {
    return vertx.executeBlocking(() -> java.nio.file.Files.createDirectories(settings.dir()), false)
        .compose(d -> vertx.createHttpServer(serverOptions()).requestHandler(this::route).listen())
        .compose(s -> {
          server = s;
          url = settings.advertised(s.actualPort(), clusterHost);
          return store.register(new DepotStore.DepotRow(settings.name(), url, settings.site(), settings.subnets(), false,
              settings.nodeId()));
        })
        .map(v -> {
          sync.start(settings.syncMillis());
          LOG.info(Kv.event("depot.started", "depot", settings.name(), "url", url, "site", settings.site()));
          return this;
        });
  }

  private HttpServerOptions serverOptions() {
    HttpServerOptions o = new HttpServerOptions().setHost(settings.host()).setPort(settings.port()).setIdleTimeout(120)
        .setMaxHeaderSize(16 * 1024).setCompressionSupported(false);
    if (settings.tls()) {
      o.setSsl(true).setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions().setCertPath(settings.tlsCert())
          .setKeyPath(settings.tlsKey()));
    }
    return o;
  }

  /**
   * Builds and starts a depot inside a running cluster member (a node or the depot role): loads
   * the installation's key, keeps a revocation list of its own fresh.
   */
  /** {@code clusterHost}: advertised in place of a wildcard bind. */
  public static Future<Depot> launch(ServerContext context, DepotSettings settings, String clusterHost) {
    Vertx vertx = context.vertx();
    Pool pool = context.pool();
    RevocationList revocations = new RevocationList(pool);
    return io.fleetcast.common.security.ClusterSecrets.loadOrCreate(pool,
            io.fleetcast.common.security.ClusterSecrets.AGENT_HMAC_KEY)
        .compose(key -> revocations.refresh().map(n -> key))
        .compose(key -> {
          Depot depot = new Depot(context, new AgentSecrets(key), revocations, settings, clusterHost);
          depot.revocationTimer = vertx.setPeriodic(5000, t -> revocations.refresh());
          return depot.start();
        });
  }

  private long revocationTimer = -1;

  public Future<Void> stop() {
    if (revocationTimer >= 0) {
      vertx.cancelTimer(revocationTimer);
    }
    sync.stop();
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void route(HttpServerRequest req) {
    String path = req.path();
    if (path.equals("/metrics") && registry instanceof io.micrometer.prometheusmetrics.PrometheusMeterRegistry prom) {
      // a depot-role process has no other HTTP port: its metrics are scraped here
      req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(prom.scrape());
      return;
    }
    if (!path.startsWith("/content/")) {
      ContentHandler.problem(req.response(), 404, "no such resource: " + path);
      return;
    }
    String rest = path.substring("/content/".length());
    int slash = rest.indexOf('/');
    String sha = slash < 0 ? rest : rest.substring(0, slash);
    String sub = slash < 0 ? "" : rest.substring(slash);
    if (sub.isEmpty() && (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)) {
      content.handle(req, sha);
    } else if (sub.equals("/peers") && BlobStore.isSha256(sha) && req.method() == HttpMethod.GET) {
      listPeers(req, sha);
    } else if (sub.equals("/peers") && BlobStore.isSha256(sha) && req.method() == HttpMethod.POST) {
      announce(req, sha);
    } else {
      ContentHandler.problem(req.response(), 404, "no such resource: " + path);
    }
  }

  private void listPeers(HttpServerRequest req, String sha) {
    String agent = content.authorize(req, sha);
    String subnet = req.getParam("subnet");
    if (agent == null) {
      return;
    }
    if (subnet == null || io.fleetcast.protocol.net.Subnet.canonicalOrNull(subnet) == null) {
      ContentHandler.problem(req.response(), 400, "subnet must be a CIDR");
      return;
    }
    peers.peers(sha, io.fleetcast.protocol.net.Subnet.canonicalOrNull(subnet), agent).onComplete(ar -> {
      JsonArray arr = new JsonArray();
      if (ar.succeeded()) {
        ar.result().forEach(p -> arr.add(new JsonObject().put("agentId", p.agentId()).put("url", p.url())));
      }
      req.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("peers", arr).encode());
    });
  }

  private void announce(HttpServerRequest req, String sha) {
    String agent = content.authorize(req, sha);
    if (agent == null) {
      return;
    }
    req.body().onComplete(ar -> {
      JsonObject body;
      try {
        if (ar.failed() || ar.result().length() > MAX_ANNOUNCE_BYTES) {
          throw new IllegalArgumentException("body missing or too large");
        }
        body = ar.result().toJsonObject();
      } catch (RuntimeException e) {
        ContentHandler.problem(req.response(), 400, "body must be {\"subnet\": cidr, \"url\": http url}");
        return;
      }
      String subnet = io.fleetcast.protocol.net.Subnet.canonicalOrNull(body.getString("subnet"));
      String peerUrl = body.getString("url");
      if (subnet == null || peerUrl == null || !peerUrl.startsWith("http") || peerUrl.length() > 512) {
        ContentHandler.problem(req.response(), 400, "body must be {\"subnet\": cidr, \"url\": http url}");
        return;
      }
      Future<?> f = Boolean.TRUE.equals(body.getBoolean("withdraw")) ? peers.withdraw(sha, subnet, agent)
          : peers.announce(sha, subnet, new Peer(agent, peerUrl, Instant.now()));
      f.onComplete(x -> req.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("listed", x.succeeded() && Boolean.TRUE.equals(x.result())).encode()));
    });
  }
}
