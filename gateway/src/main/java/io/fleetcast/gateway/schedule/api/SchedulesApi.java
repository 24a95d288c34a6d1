package io.fleetcast.gateway.schedule.api;

import io.fleetcast.gateway.schedule.ScheduleService;

import io.fleetcast.gateway.http.Access;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.auth.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code /api/v1/schedules}: recurring rollouts (operator to change, viewer to read). */
public final class SchedulesApi {
  private final ScheduleService service;

  public SchedulesApi(ScheduleService service) {
    this.service = service;
  }

  public void mount(Router r) {
    r.post("/api/v1/schedules").handler(Access.require(Role.OPERATOR))
        .handler(ctx -> Http.reply(ctx, 201, service.create(Http.jsonBody(ctx), Http.principal(ctx), Http.remote(ctx))
            .map(j -> {
              ctx.response().putHeader("Location", "/api/v1/schedules/" + j.getString("id"));
              return j;
            })));
    r.get("/api/v1/schedules").handler(ctx -> Http.reply(ctx, 200,
        service.store().list().map(items -> new JsonObject().put("items", items))));
    r.get("/api/v1/schedules/:id").handler(ctx -> Http.reply(ctx, 200, service.store().get(Http.uuidParam(ctx, "id"))
        .compose(j -> j == null ? Future.failedFuture(Problem.notFound("no such schedule")) : Future.succeededFuture(j))));
    r.delete("/api/v1/schedules/:id").handler(Access.require(Role.OPERATOR))
        .handler(ctx -> Http.reply(ctx, 204, service.delete(Http.uuidParam(ctx, "id"), Http.principal(ctx), Http.remote(ctx))));
  }
}
