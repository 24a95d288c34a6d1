package io.fleetcast.gateway.group.api;

import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.error.BodyReader;
import io.fleetcast.gateway.group.GroupService;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code /api/v1/groups}: list, show, create or replace ({@code PUT}), delete saved target groups. */
public final class GroupsApi implements ApiResource {
  private final GroupService groups;

  public GroupsApi(GroupService groups) {
    this.groups = groups;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.get("/api/v1/groups", Role.VIEWER, ctx -> Http.reply(ctx, 200,
        groups.store().list(500).map(items -> new JsonObject().put("items", items))));
    routes.get("/api/v1/groups/:name", Role.VIEWER, ctx -> {
      String name = ctx.pathParam("name");
      GroupService.checkName(name);
      Http.reply(ctx, 200, groups.store().get(name).compose(g -> g == null
          ? Future.failedFuture(Problem.notFound("no group " + name)) : Future.succeededFuture(g)));
    });
    routes.put("/api/v1/groups/:name", Role.OPERATOR, this::put);
    routes.delete("/api/v1/groups/:name", Role.OPERATOR, ctx -> Http.reply(ctx, 204,
        groups.delete(ctx.pathParam("name"), Http.principal(ctx), Http.remote(ctx))));
  }

  private void put(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    GroupService.checkName(name);
    JsonObject body = Http.jsonBody(ctx);
    BodyReader r = BodyReader.of(body);
    r.onlyKnown(Set.of("selector", "description"));
    JsonObject selector = r.object("selector", true);
    String description = r.string("description", false, 500);
    r.throwIfInvalid();
    Future<JsonObject> done = groups.put(name, selector, description == null ? "" : description, Http.principal(ctx),
        Http.remote(ctx)).compose(created -> {
          ctx.response().setStatusCode(created ? 201 : 200);
          return groups.store().get(name);
        });
    done.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        ctx.response().putHeader("Content-Type", Http.JSON).end(ar.result().encode());
      }
    });
  }
}
