package io.fleetcast.gateway.deploy.api;

import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.deploy.DeployError;
import io.fleetcast.gateway.deploy.DeploymentService;
import io.fleetcast.gateway.deploy.HostState;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/v1/deployments}: create a job from CSV, LDAP or a host list (and start it when
 * credentials are given), list, get with per-host states and errors, start, retry failed, cancel.
 * Operator to change, viewer to read. Credentials are never part of any answer.
 */
public final class DeploymentsApi implements ApiResource {
  private final DeploymentService service;

  public DeploymentsApi(DeploymentService service) {
    this.service = service;
  }

  @Override
  public void mount(RouteTable routes) {
    // before /:id, which would take "errors" for an id
    routes.get("/api/v1/deployments/errors", Role.VIEWER, ctx -> Http.reply(ctx, 200,
        io.vertx.core.Future.succeededFuture(errorTable())));
    routes.post("/api/v1/deployments", Role.OPERATOR,
        ctx -> Http.reply(ctx, 201, service.create(Http.jsonBody(ctx), Http.principal(ctx), Http.remote(ctx))
            .map(j -> {
              ctx.response().putHeader("Location", "/api/v1/deployments/" + j.getString("id"));
              return j;
            })));
    routes.get("/api/v1/deployments", Role.VIEWER, ctx -> Http.reply(ctx, 200,
        service.store().list(Http.limit(ctx, 100, 1000)).map(items -> new JsonObject().put("items", items))));
    routes.get("/api/v1/deployments/:id", Role.VIEWER, ctx -> Http.reply(ctx, 200,
        service.get(Http.uuidParam(ctx, "id"), state(ctx))));
    routes.post("/api/v1/deployments/:id/start", Role.OPERATOR,
        ctx -> Http.reply(ctx, 200, service.start(Http.uuidParam(ctx, "id"), Http.jsonBody(ctx),
            Http.principal(ctx), Http.remote(ctx))));
    routes.post("/api/v1/deployments/:id/retry", Role.OPERATOR,
        ctx -> Http.reply(ctx, 200, service.retry(Http.uuidParam(ctx, "id"), optionalBody(ctx),
            Http.principal(ctx), Http.remote(ctx))));
    routes.post("/api/v1/deployments/:id/cancel", Role.OPERATOR,
        ctx -> Http.reply(ctx, 200, service.cancel(Http.uuidParam(ctx, "id"), Http.principal(ctx),
            Http.remote(ctx))));
  }

  /** The fixed error table with causes and solutions (what fleetctl and the console show). */
  public static JsonObject errorTable() {
    io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray();
    for (DeployError e : DeployError.values()) {
      items.add(new JsonObject().put("type", e.wire()).put("cause", e.cause()).put("solution", e.solution())
          .put("retried", e.retryable()));
    }
    return new JsonObject().put("items", items);
  }

  private static String state(RoutingContext ctx) {
    String s = ctx.queryParams().get("state");
    if (s != null && HostState.fromWire(s).isEmpty()) {
      throw Problem.badRequest("state must be one of discovered, scheduled, installing, withAgent, failed");
    }
    return s;
  }

  private static JsonObject optionalBody(RoutingContext ctx) {
    return ctx.body() == null || ctx.body().length() == 0 ? new JsonObject() : Http.jsonBody(ctx);
  }
}
