package io.fleetcast.gateway.software.api;

import io.fleetcast.common.depot.DepotStore;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.fleetcast.gateway.software.DistributionTarget;
import io.fleetcast.gateway.software.ProgramSpec;
import io.fleetcast.gateway.software.RolloutDownloads;
import io.fleetcast.gateway.software.SoftwareService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/v1/packages} (catalog, programs, distribution), {@code /api/v1/depots} and
 * {@code /api/v1/rollouts/{id}/downloads}. A package is named by its id or {@code name@version}
 * (or {@code name}: the newest version). The upload route is mounted separately, see {@link PackageUpload}.
 */
public final class PackagesApi implements ApiResource {
  private final SoftwareService service;
  private final DepotStore depots;
  private final RolloutDownloads downloads;

  public PackagesApi(SoftwareService service, DepotStore depots, RolloutDownloads downloads) {
    this.service = service;
    this.depots = depots;
    this.downloads = downloads;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.get("/api/v1/packages", Role.VIEWER,
        ctx -> Http.reply(ctx, 200, service.store().list(Http.limit(ctx, 100, 1000))
        .map(list -> {
          JsonArray items = new JsonArray();
          list.forEach(p -> items.add(p.toJson().put("files", p.files().size())));
          return new JsonObject().put("items", items);
        })));
    routes.get("/api/v1/packages/:id", Role.VIEWER, ctx -> Http.reply(ctx, 200, service.describe(ref(ctx))));
    routes.delete("/api/v1/packages/:id", Role.OPERATOR,
        ctx -> Http.reply(ctx, 204, service.delete(ref(ctx), Http.principal(ctx), Http.remote(ctx))));
    routes.get("/api/v1/packages/:id/programs", Role.VIEWER, ctx -> Http.reply(ctx, 200, service.find(ref(ctx))
        .compose(p -> service.store().programs(p.id())).map(a -> new JsonObject().put("items", a))));
    routes.post("/api/v1/packages/:id/programs", Role.OPERATOR, this::addProgram);
    routes.get("/api/v1/packages/:id/programs/:program", Role.VIEWER, ctx -> Http.reply(ctx, 200, service.find(ref(ctx))
        .compose(p -> service.store().program(p.id(), ctx.pathParam("program")))
        .compose(j -> j == null ? io.vertx.core.Future.failedFuture(Problem.notFound("no program "
            + ctx.pathParam("program"))) : io.vertx.core.Future.succeededFuture(j))));
    routes.delete("/api/v1/packages/:id/programs/:program", Role.OPERATOR,
        ctx -> Http.reply(ctx, 204, service.deleteProgram(ref(ctx), ctx.pathParam("program"),
            Http.principal(ctx), Http.remote(ctx))));
    routes.post("/api/v1/packages/:id/distribute", Role.OPERATOR, ctx -> {
      DistributionTarget target = DistributionTarget.parse(Http.jsonBody(ctx));
      Http.reply(ctx, 202, service.distribute(ref(ctx), target, Http.principal(ctx), Http.remote(ctx)));
    });
    routes.get("/api/v1/depots", Role.VIEWER, ctx -> Http.reply(ctx, 200, depots.all().map(list -> {
      JsonArray items = new JsonArray();
      list.forEach(d -> items.add(new JsonObject().put("name", d.name()).put("url", d.url()).put("site", d.site())
          .put("subnets", new JsonArray(new java.util.ArrayList<>(d.subnets()))).put("origin", d.origin())));
      return new JsonObject().put("items", items);
    })));
    routes.get("/api/v1/rollouts/:id/downloads", Role.VIEWER, ctx -> Http.reply(ctx, 200,
        downloads.report(Http.uuidParam(ctx, "id"), Http.limit(ctx, 1000, 10_000))));
  }

  private void addProgram(RoutingContext ctx) {
    ProgramSpec program = ProgramSpec.parse(Http.jsonBody(ctx));
    Http.reply(ctx, 201, service.addProgram(ref(ctx), program, Http.principal(ctx), Http.remote(ctx)));
  }

  private static String ref(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || id.isBlank() || id.length() > 200) {
      throw Problem.badRequest("a package is named by its id or name@version");
    }
    return id;
  }
}
