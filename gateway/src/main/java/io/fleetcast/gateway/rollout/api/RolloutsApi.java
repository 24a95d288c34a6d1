package io.fleetcast.gateway.rollout.api;

import io.fleetcast.common.rollout.RolloutState;
import io.fleetcast.common.rollout.TargetState;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.paging.Cursor;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.fleetcast.gateway.rollout.RolloutService;
import io.fleetcast.gateway.rollout.RolloutSpec;
import io.fleetcast.gateway.rollout.RolloutStore;
import io.fleetcast.gateway.rollout.TargetGroups;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** {@code /api/v1/rollouts}: create, list, describe, results, targets, events, cancel/pause/resume. */
public final class RolloutsApi implements ApiResource {
  private final RolloutService service;
  private final RolloutStore store;
  private final RolloutEvents events;
  private final Duration defaultExpiry;
  private final TargetGroups groups;

  public RolloutsApi(RolloutService service, RolloutStore store, RolloutEvents events, Duration defaultExpiry,
      TargetGroups groups) {
    this.groups = groups;
    this.service = service;
    this.store = store;
    this.events = events;
    this.defaultExpiry = defaultExpiry;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.post("/api/v1/rollouts", Role.OPERATOR, this::create);
    routes.get("/api/v1/rollouts", Role.VIEWER, this::list);
    routes.get("/api/v1/rollouts/:id", Role.VIEWER,
        ctx -> Http.reply(ctx, 200, service.describe(Http.uuidParam(ctx, "id"))));
    routes.get("/api/v1/rollouts/:id/results", Role.VIEWER, this::results);
    routes.get("/api/v1/rollouts/:id/targets", Role.VIEWER, this::targets);
    routes.get("/api/v1/rollouts/:id/events", Role.VIEWER, ctx -> events.stream(ctx, Http.uuidParam(ctx, "id")));
    routes.post("/api/v1/rollouts/:id/cancel", Role.OPERATOR,
        ctx -> Http.reply(ctx, 200, service.cancel(Http.uuidParam(ctx, "id"), Http.principal(ctx), Http.remote(ctx))));
    routes.post("/api/v1/rollouts/:id/pause", Role.OPERATOR,
        ctx -> Http.reply(ctx, 200, service.pause(Http.uuidParam(ctx, "id"), Http.principal(ctx), Http.remote(ctx))));
    routes.post("/api/v1/rollouts/:id/resume", Role.OPERATOR,
        ctx -> Http.reply(ctx, 200, service.resume(Http.uuidParam(ctx, "id"), Http.principal(ctx), Http.remote(ctx))));
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Http.jsonBody(ctx);
    Http.reply(ctx, 201, groups.expand(body)
        .compose(b -> service.create(RolloutSpec.parse(b, Instant.now(), defaultExpiry), Http.principal(ctx),
            Http.remote(ctx))).map(c -> {
      ctx.response().putHeader("Location", "/api/v1/rollouts/" + c.id());
      return new JsonObject().put("id", c.id().toString()).put("targets", c.targets()).put("state", c.state());
    }));
  }

  private void list(RoutingContext ctx) {
    String state = ctx.queryParams().get("state");
    if (state != null && !RolloutState.known(state)) {
      throw Problem.badRequest("state must be one of " + String.join(", ", RolloutState.wireNames()));
    }
    int limit = Http.limit(ctx, 50, 500);
    String after = ctx.queryParams().get("after");
    Instant afterCreated = null;
    UUID afterId = null;
    if (after != null) {
      String key = Cursor.decode(after);
      try {
        String[] parts = key.split("\\|");
        afterCreated = Instant.parse(parts[0]);
        afterId = UUID.fromString(parts[1]);
      } catch (RuntimeException e) {
        throw Problem.badRequest("after: not a cursor returned by this API");
      }
    }
    Http.reply(ctx, 200, store.reads().list(state, limit, afterCreated, afterId));
  }

  private void results(RoutingContext ctx) {
    UUID id = Http.uuidParam(ctx, "id");
    String status = ctx.queryParams().get("status");
    if (status != null && TaskStatus.fromWire(status).isEmpty()) {
      throw Problem.badRequest("status must be one of succeeded, failed, timedOut, declined, cancelled, rejected");
    }
    int limit = Http.limit(ctx, 100, 1000);
    UUID afterAgent = null;
    int afterStep = 0;
    String after = ctx.queryParams().get("after");
    if (after != null) {
      try {
        String[] parts = Cursor.decode(after).split("\\|");
        afterAgent = UUID.fromString(parts[0]);
        afterStep = Integer.parseInt(parts[1]);
      } catch (RuntimeException e) {
        throw Problem.badRequest("after: not a cursor returned by this API");
      }
    }
    UUID fa = afterAgent;
    int fs = afterStep;
    Http.reply(ctx, 200, service.describe(id).compose(r -> store.reads().results(id, status, limit, fa, fs)));
  }

  private void targets(RoutingContext ctx) {
    UUID id = Http.uuidParam(ctx, "id");
    String state = ctx.queryParams().get("state");
    if (state != null && !TargetState.known(state)) {
      throw Problem.badRequest("state must be one of " + String.join(", ", TargetState.wireNames()));
    }
    int limit = Http.limit(ctx, 100, 1000);
    UUID afterAgent = null;
    String after = ctx.queryParams().get("after");
    if (after != null) {
      try {
        afterAgent = UUID.fromString(Cursor.decode(after));
      } catch (RuntimeException e) {
        throw Problem.badRequest("after: not a cursor returned by this API");
      }
    }
    UUID fa = afterAgent;
    Http.reply(ctx, 200, service.describe(id).compose(r -> store.reads().targets(id, state, limit, fa)));
  }
}
