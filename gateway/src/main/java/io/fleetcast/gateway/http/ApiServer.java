package io.fleetcast.gateway.http;

import io.fleetcast.common.health.Readiness;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The gateway's HTTP port: ops API, agent entry points, metrics and health. Order matters: every
 * request is paused when its headers are in, its credential is checked from the headers, and
 * only then is its body read (within {@code api.maxBodyBytes} and {@code api.requestTimeoutSeconds}),
 * so an unauthenticated client can hold neither heap nor a connection for long.
 */
public final class ApiServer {

  private final Vertx vertx;
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;
  private final GatewayMetrics metrics;
  private final ApiLimits limits;
  private final ApiConnections connections;
  private HttpServer server;
  private Router router;
  private MethodTable methods;
  private RouteTable table;

  public ApiServer(Vertx vertx, Readiness readiness, PrometheusMeterRegistry registry, GatewayMetrics metrics,
      ApiLimits limits) {
    this.vertx = vertx;
    this.readiness = readiness;
    this.registry = registry;
    this.metrics = metrics;
    this.limits = limits;
    this.connections = new ApiConnections(vertx, limits, metrics);
  }

  /** Builds the router from the API resources: each registers its routes with the role they need. */
  public Router router(java.util.List<ApiResource> resources, Access access) {
    RouteTable routes = new RouteTable(access);
    resources.forEach(res -> res.mount(routes));
    Router r = Router.router(vertx);
    r.route().handler(ctx -> {
      ctx.addBodyEndHandler(v -> {
        int s = ctx.response().getStatusCode();
        metrics.request(ctx.request().method().name(), (s / 100) + "xx");
      });
      connections.onRequest(ctx);
    });
    r.get("/health/live").handler(ctx -> ctx.response().putHeader("Content-Type", Http.JSON).end("{\"status\":\"up\"}"));
    r.get("/health/ready").handler(ctx -> ctx.response().setStatusCode(readiness.ready() ? 200 : 503)
        .putHeader("Content-Type", Http.JSON).end(readiness.report().encode()));
    r.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
    // from here on no body is read until a handler says so (a BodyHandler resumes the request)
    r.route().handler(ctx -> {
      ApiConnections.pause(ctx);
      ctx.next();
    });
    // routes that stream their own body (package uploads): each authenticates before it reads
    routes.mount(RouteTable.Stage.STREAMING, r);
    routes.mount(RouteTable.Stage.OPEN, r);
    r.route("/api/v1/*").handler(access.authenticate());
    r.route("/api/v1/*").handler(bodyHandler(limits.maxBodyBytes()));
    r.route("/api/v1/*").handler(ctx -> {
      // viewers may only read
      if (!ctx.request().method().name().equals("GET") && !ctx.request().method().name().equals("HEAD")) {
        Access.require(Role.OPERATOR).handle(ctx);
      } else {
        ctx.next();
      }
    });
    routes.mount(RouteTable.Stage.CHECKED, r);
    r.route().failureHandler(new ProblemHandler(metrics));
    r.route().last().handler(ctx -> ctx.fail(methods.allowed(ctx.request().path())
        .map(allow -> Problem.methodNotAllowed(ctx.request().method().name(), ctx.request().path(), allow))
        .orElseGet(() -> Problem.notFound("no such resource: " + ctx.request().path()))));
    methods = MethodTable.of(r);
    router = r;
    table = routes;
    return r;
  }

  /**
   * Reads a (paused) request's body, at most {@code limit} bytes (413 above it). Wrapped in a plain
   * handler on purpose: Vert.x Web refuses a BodyHandler after another handler of the same route,
   * and here it must come after the credential check.
   */
  public static io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> bodyHandler(int limit) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(limit).setHandleFileUploads(false);
    return ctx -> {
      io.vertx.core.http.HttpServerRequest req = ctx.request();
      if (req.isEnded()) {
        ctx.next(); // nothing left to read (a request without a body that ended before it was paused)
      } else if (req.headers().contains("Content-Length") || req.headers().contains("Transfer-Encoding")
          || req.version() == io.vertx.core.http.HttpVersion.HTTP_1_0) {
        body.handle(ctx);
      } else {
        // no body: BodyHandler would pass it on still paused; let its (empty) end through first
        req.endHandler(v -> ctx.next());
        req.resume();
      }
    };
  }

  /** The router built by {@link #router(java.util.List, Access)}: its routes are the role table (docs/security.md, tested). */
  public Router router() {
    return router;
  }

  /** The role each role-checked route was registered with ({@code "METHOD /path/{param}"} keys). */
  public java.util.Map<String, Role> roles() {
    return table.roles();
  }

  /** Open connections to the API port (tests). */
  public int openConnections() {
    return connections.open();
  }

  public Future<Integer> start(Router router, String host, int port, String tlsCert, String tlsKey) {
    // HTTP/1.1 only (no h2c upgrade): the connection bounds and framing checks are HTTP/1.1's
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(false)
        .setMaxHeaderSize(16 * 1024).setIdleTimeout(120).setDecompressionSupported(false)
        .setHttp2ClearTextEnabled(false);
    if (tlsCert != null && tlsKey != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(tlsCert).setKeyPath(tlsKey));
    }
    return vertx.createHttpServer(options)
        .connectionHandler(conn -> connections.onConnection(conn, options))
        .invalidRequestHandler(connections::onInvalidRequest)
        .requestHandler(router).listen().map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
