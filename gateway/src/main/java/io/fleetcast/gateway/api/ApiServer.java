package io.fleetcast.gateway.api;

import io.fleetcast.common.health.Readiness;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The gateway's HTTP port: ops API, agent entry points, metrics and health. */
public final class ApiServer {

  /** Everything the routes need. */
  public record Routes(Access access, RolloutsApi rollouts, AgentsApi agents, TokensApi tokens, AgentEntryApi entry,
      ClusterApi cluster, AuditApi audit, java.util.List<java.util.function.Consumer<Router>> extra) {}

  private final Vertx vertx;
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;
  private final GatewayMetrics metrics;
  private final int maxBodyBytes;
  private HttpServer server;
  private Router router;
  private final java.util.List<java.util.function.Consumer<Router>> streaming = new java.util.ArrayList<>();

  public ApiServer(Vertx vertx, Readiness readiness, PrometheusMeterRegistry registry, GatewayMetrics metrics,
      int maxBodyBytes) {
    this.vertx = vertx;
    this.readiness = readiness;
    this.registry = registry;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Adds routes that read their own body as a stream (package uploads): mounted before the
   * buffering body handler; each must authenticate before it reads.
   */
  public ApiServer streaming(java.util.function.Consumer<Router> mount) {
    streaming.add(mount);
    return this;
  }

  public Router router(Routes routes) {
    Router r = Router.router(vertx);
    r.route().handler(ctx -> {
      ctx.addBodyEndHandler(v -> {
        int s = ctx.response().getStatusCode();
        metrics.request(ctx.request().method().name(), (s / 100) + "xx");
      });
      ctx.next();
    });
    r.get("/health/live").handler(ctx -> ctx.response().putHeader("Content-Type", Http.JSON).end("{\"status\":\"up\"}"));
    r.get("/health/ready").handler(ctx -> ctx.response().setStatusCode(readiness.ready() ? 200 : 503)
        .putHeader("Content-Type", Http.JSON).end(readiness.report().encode()));
    r.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
    streaming.forEach(c -> c.accept(r));
    r.route().handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes).setHandleFileUploads(false));
    routes.entry().mount(r);
    r.route("/api/v1/*").handler(routes.access().authenticate());
    r.route("/api/v1/*").handler(ctx -> {
      // viewers may only read
      if (!ctx.request().method().name().equals("GET") && !ctx.request().method().name().equals("HEAD")) {
        Access.require(io.fleetcast.gateway.auth.Role.OPERATOR).handle(ctx);
      } else {
        ctx.next();
      }
    });
    routes.rollouts().mount(r);
    routes.agents().mount(r);
    routes.tokens().mount(r);
    routes.cluster().mount(r);
    routes.audit().mount(r);
    routes.extra().forEach(c -> c.accept(r));
    r.route().failureHandler(new ProblemHandler(metrics));
    r.route().last().handler(ctx -> ctx.fail(Problem.notFound("no such resource: " + ctx.request().path())));
    router = r;
    return r;
  }

  /** The router built by {@link #router(Routes)}: its routes are the role table (docs/security.md, tested). */
  public Router router() {
    return router;
  }

  public Future<Integer> start(Router router, String host, int port, String tlsCert, String tlsKey) {
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(false)
        .setMaxHeaderSize(16 * 1024).setIdleTimeout(120).setDecompressionSupported(false);
    if (tlsCert != null && tlsKey != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(tlsCert).setKeyPath(tlsKey));
    }
    return vertx.createHttpServer(options).requestHandler(router).listen().map(s -> {
      server = s;
      return s.actualPort();
    });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
