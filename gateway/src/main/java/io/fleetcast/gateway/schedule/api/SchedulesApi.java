package io.fleetcast.gateway.schedule.api;

import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.fleetcast.gateway.schedule.ScheduleService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code /api/v1/schedules}: recurring rollouts (operator to change, viewer to read). */
public final class SchedulesApi implements ApiResource {
  private final ScheduleService service;

  public SchedulesApi(ScheduleService service) {
    this.service = service;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.post("/api/v1/schedules", Role.OPERATOR,
        ctx -> Http.reply(ctx, 201, service.create(Http.jsonBody(ctx), Http.principal(ctx), Http.remote(ctx))
            .map(j -> {
              ctx.response().putHeader("Location", "/api/v1/schedules/" + j.getString("id"));
              return j;
            })));
    routes.get("/api/v1/schedules", Role.VIEWER, ctx -> Http.reply(ctx, 200,
        service.store().list().map(items -> new JsonObject().put("items", items))));
    routes.get("/api/v1/schedules/:id", Role.VIEWER,
        ctx -> Http.reply(ctx, 200, service.store().get(Http.uuidParam(ctx, "id"))
        .compose(j -> j == null ? Future.failedFuture(Problem.notFound("no such schedule")) : Future.succeededFuture(j))));
    routes.delete("/api/v1/schedules/:id", Role.OPERATOR,
        ctx -> Http.reply(ctx, 204, service.delete(Http.uuidParam(ctx, "id"), Http.principal(ctx), Http.remote(ctx))));
  }
}
