package io.fleetcast.gateway.app;

import io.fleetcast.common.depot.BlobStore;
import io.fleetcast.common.depot.DepotStore;
import io.fleetcast.common.log.Kv;
import io.fleetcast.common.runtime.ServerContext;
import io.fleetcast.gateway.software.PackageSettings;
import io.fleetcast.common.security.AgentSecrets;
import io.fleetcast.gateway.agent.NodeOrder;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.rollout.RolloutService;
import io.fleetcast.gateway.rollout.TaskSigner;
import io.fleetcast.gateway.software.InstallResolver;
import io.fleetcast.gateway.software.PackageStore;
import io.fleetcast.gateway.software.RolloutDownloads;
import io.fleetcast.gateway.software.SiteNodeOrder;
import io.fleetcast.gateway.software.SoftwareMetrics;
import io.fleetcast.gateway.software.SoftwareService;
import io.fleetcast.gateway.software.api.PackageUpload;
import io.fleetcast.gateway.software.api.PackagesApi;
import io.fleetcast.node.agent.AgentAuthenticator;
import io.fleetcast.node.agent.RevocationList;
import io.fleetcast.node.depot.ContentHandler;
import io.fleetcast.node.depot.DepotMetrics;
import io.fleetcast.node.depot.DepotTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.util.List;
import java.util.logging.Logger;

/**
 * Software distribution in a gateway, wired in one place: the catalog (upload, programs,
 * distribution), the gateway's package store served as the {@code origin} depot
 * ({@code GET /content/<sha256>} on the API port), and the install-step resolver handed to the
 * rollout service. {@code Gateway} builds one and mounts it.
 */
public final class SoftwareModule {
  private static final Logger LOG = Logger.getLogger(SoftwareModule.class.getName());

  private final Vertx vertx;
  private final BlobStore blobs;
  private final DepotStore depots;
  private final String originName;
  private final SoftwareService service;
  private final PackageUpload upload;
  private final PackagesApi api;
  private final ContentHandler origin;
  private final InstallResolver resolver;
  private final SiteNodeOrder nodeOrder;

  public SoftwareModule(ServerContext context, PackageSettings settings, AuditLog audit, TaskSigner signer,
      AgentSecrets secrets, RevocationList revocations) {
    Vertx vertx = context.vertx();
    Pool pool = context.pool();
    MeterRegistry registry = context.registry();
    this.vertx = vertx;
    this.blobs = new BlobStore(settings.dir());
    this.depots = new DepotStore(pool);
    this.originName = settings.originName();
    SoftwareMetrics metrics = new SoftwareMetrics(registry);
    PackageStore store = new PackageStore(pool);
    this.service = new SoftwareService(vertx, store, blobs, audit, originName, metrics);
    this.upload = new PackageUpload(vertx, blobs, settings.maxBytes(), service, metrics);
    this.api = new PackagesApi(service, depots, new RolloutDownloads(pool));
    this.origin = new ContentHandler(vertx, blobs, new AgentAuthenticator(secrets, revocations),
        new DepotTokens(secrets), new DepotMetrics(registry, "origin"), settings.originMaxConcurrent(),
        sha -> Future.succeededFuture(false));
    this.nodeOrder = new SiteNodeOrder(pool, depots);
    this.resolver = new InstallResolver(store, depots, signer,
        settings.peerTokenTtl());
  }

  /**
   * The streaming upload (before the API's buffering body handler; it authenticates before it
   * reads), the origin's content (open: it checks the agent credential or peer token itself) and
   * the catalog.
   */
  public List<ApiResource> resources() {
    ApiResource content = routes -> routes
        .streaming(HttpMethod.POST, "/api/v1/packages", Role.OPERATOR, PackageUpload::pause, upload)
        .open(HttpMethod.GET, "/content/:sha", ctx -> origin.handle(ctx.request(), ctx.pathParam("sha")));
    return List.of(content, api);
  }

  /** The origin's blob store (this gateway's uploaded packages). */
  public BlobStore blobs() {
    return blobs;
  }

  /** Same-site ordering of the nodes handed to agents (enrollment, bootstrap). */
  public NodeOrder nodeOrder() {
    return nodeOrder;
  }

  public RolloutService.StepResolver resolver() {
    return resolver;
  }

  /** Registers this gateway's package store as the origin depot, reachable at {@code apiUrl}. */
  public Future<Void> start(String apiUrl) {
    return vertx.executeBlocking(() -> Files.createDirectories(blobs.dir()), false)
        .compose(d -> depots.register(new DepotStore.DepotRow(originName, apiUrl, "origin", List.of(), true, null)))
        .onSuccess(v -> LOG.info(Kv.event("software.origin", "depot", originName, "url", apiUrl, "dir", blobs.dir())));
  }
}
