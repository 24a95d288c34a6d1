package io.fleetcast.gateway.rollout.api;

import io.fleetcast.common.rollout.SqlStates;
import io.fleetcast.gateway.http.Access;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.fleetcast.gateway.rollout.HostQuery;
import io.fleetcast.gateway.rollout.HostTable;
import io.fleetcast.gateway.rollout.Rerun;
import io.fleetcast.gateway.rollout.RolloutService;
import io.fleetcast.gateway.rollout.RolloutSpec;
import io.fleetcast.gateway.rollout.RolloutStore;
import io.fleetcast.gateway.rollout.TargetGroups;
import io.fleetcast.gateway.rollout.TargetSpec;
import io.fleetcast.gateway.rollout.TargetSql;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rollout endpoints the console added: the per-host table (paged, sorted, filtered), one
 * host's output (stored, and live while it runs), per-wave progress, CSV export, re-run, and the
 * target count preview.
 */
public final class RolloutConsoleApi implements ApiResource {
  private static final int EXPORT_CHUNK = 2000;

  private final RolloutService service;
  private final RolloutStore store;
  private final HostTable hosts;
  private final TargetGroups groups;
  private final Duration defaultExpiry;
  private final LiveOutputRelay live;

  public RolloutConsoleApi(io.vertx.core.Vertx vertx, RolloutService service, RolloutStore store, TargetGroups groups,
      Duration defaultExpiry) {
    this.live = new LiveOutputRelay(vertx, store.pool());
    this.service = service;
    this.store = store;
    this.hosts = new HostTable(store.pool());
    this.groups = groups;
    this.defaultExpiry = defaultExpiry;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.post("/api/v1/rollouts/preview", Role.OPERATOR, this::preview);
    routes.get("/api/v1/rollouts/:id/hosts", Role.VIEWER, ctx -> {
      HostQuery q = HostQuery.parse(ctx.queryParams());
      UUID id = Http.uuidParam(ctx, "id");
      Http.reply(ctx, 200, exists(id).compose(x -> hosts.page(id, q)));
    });
    routes.get("/api/v1/rollouts/:id/hosts/:agentId", Role.VIEWER, ctx -> {
      UUID id = Http.uuidParam(ctx, "id");
      UUID agent = Http.uuidParam(ctx, "agentId");
      Http.reply(ctx, 200, hosts.host(id, agent).compose(h -> h == null
          ? Future.failedFuture(Problem.notFound("agent " + agent + " is not a target of rollout " + id))
          : Future.succeededFuture(h)));
    });
    routes.get("/api/v1/rollouts/:id/hosts/:agentId/live", Role.VIEWER,
        ctx -> live.stream(ctx, Http.uuidParam(ctx, "id"),
        Http.uuidParam(ctx, "agentId")));
    routes.get("/api/v1/rollouts/:id/waves", Role.VIEWER, ctx -> {
      UUID id = Http.uuidParam(ctx, "id");
      Http.reply(ctx, 200, hosts.waves(id).compose(w -> w == null
          ? Future.failedFuture(Problem.notFound("no rollout " + id)) : Future.succeededFuture(w)));
    });
    routes.get("/api/v1/rollouts/:id/export", Role.VIEWER, this::export);
    routes.post("/api/v1/rollouts/:id/rerun", Role.OPERATOR, this::rerun);
  }

  private Future<JsonObject> exists(UUID id) {
    return service.describe(id);
  }

  /** {@code {targets}} as a rollout would take them: how many agents, how many online now. */
  private void preview(RoutingContext ctx) {
    JsonObject body = Http.jsonBody(ctx);
    Http.reply(ctx, 200, groups.expand(body).compose(b -> {
      TargetSpec t = RolloutSpec.parseTargets(b);
      return store.pool().preparedQuery("SELECT count(*)::int, count(*) FILTER (WHERE a.online)::int FROM agents a "
              + "WHERE " + TargetSql.selector(1, 5))
          .execute(Tuple.tuple().addValue(t.all()).addValue(t.agents().stream().map(UUID::fromString).toArray(UUID[]::new))
              .addValue(t.tags().toArray(new String[0])).addValue(t.subnets().toArray(new String[0]))
              .addValue(t.reportedTags().toArray(new String[0])))
          .map(rows -> {
            var row = rows.iterator().next();
            return new JsonObject().put("targets", row.getInteger(0)).put("online", row.getInteger(1))
                .put("selector", t.scope());
          });
    }));
  }

  /** Streams the (filtered) host table as CSV, a bounded chunk per query, hostname order. */
  private void export(RoutingContext ctx) {
    UUID id = Http.uuidParam(ctx, "id");
    HostQuery q = HostQuery.parse(ctx.queryParams());
    exists(id).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      HttpServerResponse res = ctx.response().setChunked(true).putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"rollout-" + id + ".csv\"");
      res.write("agentId,hostname,state,step,exitCode,reason,durationSeconds,wave,dispatchedAt,finishedAt\n");
      exportFrom(res, id, q, null, null);
    });
  }

  private void exportFrom(HttpServerResponse res, UUID id, HostQuery q, String afterHost, UUID afterAgent) {
    hosts.chunk(id, q, afterHost, afterAgent, EXPORT_CHUNK).onComplete(ar -> {
      if (ar.failed() || res.closed()) {
        res.reset();
        return;
      }
      JsonArray rows = ar.result();
      StringBuilder sb = new StringBuilder();
      for (Object o : rows) {
        JsonObject h = (JsonObject) o;
        sb.append(csv(h.getString("agentId"))).append(',').append(csv(h.getString("hostname"))).append(',')
            .append(csv(h.getString("state"))).append(',').append(csv(h.getValue("step"))).append(',')
            .append(csv(h.getValue("exitCode"))).append(',').append(csv(h.getString("reason"))).append(',')
            .append(csv(h.getValue("durationSeconds"))).append(',').append(csv(h.getValue("wave"))).append(',')
            .append(csv(h.getString("dispatchedAt"))).append(',').append(csv(h.getString("finishedAt"))).append('\n');
      }
      Future<Void> written = res.write(sb.toString());
      if (rows.size() < EXPORT_CHUNK) {
        res.end();
        return;
      }
      JsonObject last = rows.getJsonObject(rows.size() - 1);
      String host = last.getString("hostname") == null ? "" : last.getString("hostname");
      // wait for the write to drain before reading on: a slow client holds one chunk, not the rollout
      written.onComplete(w -> exportFrom(res, id, q, host, UUID.fromString(last.getString("agentId"))));
    });
  }

  /** One CSV field: quoted when needed; a leading = + - @ is neutralised so a spreadsheet does not run it. */
  public static String csv(Object v) {
    if (v == null) {
      return "";
    }
    String s = String.valueOf(v);
    if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !(v instanceof Number)) {
      s = "'" + s;
    }
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  private void rerun(RoutingContext ctx) {
    UUID id = Http.uuidParam(ctx, "id");
    Rerun rerun = Rerun.parse(Http.jsonBody(ctx));
    Future<JsonObject> created = store.pool().preparedQuery("SELECT name, request FROM rollouts WHERE id = $1")
        .execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Problem.notFound("no rollout " + id));
          }
          var row = rows.iterator().next();
          String name = row.getString(0);
          JsonObject request = (JsonObject) row.getValue(1);
          return store.pool().preparedQuery(SqlStates.targets("""
                  SELECT agent_id::text FROM rollout_targets WHERE rollout_id = $1
                    AND (state = ANY($2::text[])
                         OR ($3 AND dispatched_at IS NULL AND state IN ({expired}, {skipped}, {cancelled})))
                  ORDER BY ordinal LIMIT $4"""))
              .execute(Tuple.of(id, rerun.targetStates(), rerun.includesOffline(), RolloutSpec.MAX_EXPLICIT_AGENTS + 1))
              .map(agents -> {
                List<String> ids = new ArrayList<>();
                agents.forEach(a -> ids.add(a.getString(0)));
                return rerun.body(name, request, ids);
              });
        })
        .compose(body -> service.create(RolloutSpec.parse(body, Instant.now(), defaultExpiry), Http.principal(ctx),
            Http.remote(ctx)).map(c -> {
              ctx.response().putHeader("Location", "/api/v1/rollouts/" + c.id());
              return new JsonObject().put("id", c.id().toString()).put("targets", c.targets()).put("state", c.state())
                  .put("rerunOf", id.toString());
            }));
    Http.reply(ctx, 201, created);
  }
}
