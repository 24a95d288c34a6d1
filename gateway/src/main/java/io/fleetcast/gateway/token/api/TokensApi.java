package io.fleetcast.gateway.token.api;

import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.ApiTokens;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.error.BodyReader;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import java.util.UUID;

/** {@code /api/v1/api-tokens} (admin). */
public final class TokensApi implements ApiResource {
  private final Pool pool;
  private final ApiTokens tokens;
  private final AuditLog audit;

  public TokensApi(Pool pool, ApiTokens tokens, AuditLog audit) {
    this.pool = pool;
    this.tokens = tokens;
    this.audit = audit;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.post("/api/v1/api-tokens", Role.ADMIN, this::createApiToken);
    routes.get("/api/v1/api-tokens", Role.ADMIN, ctx -> Http.reply(ctx, 200,
        tokens.list().map(items -> new JsonObject().put("items", items))));
    routes.delete("/api/v1/api-tokens/:id", Role.ADMIN, this::revokeApiToken);
  }

  private void createApiToken(RoutingContext ctx) {
    BodyReader b = BodyReader.of(Http.jsonBody(ctx));
    b.onlyKnown(Set.of("name", "role"));
    String name = b.string("name", true, 200);
    String roleText = b.string("role", true, 16);
    Role role = roleText == null ? null : Role.fromWire(roleText).orElse(null);
    if (roleText != null && role == null) {
      b.error("role", "must be one of viewer, operator, admin");
    }
    b.throwIfInvalid();
    Principal who = Http.principal(ctx);
    Http.reply(ctx, 201, pool.withTransaction(tx -> tokens.create(tx, name, role, who.actor())
        .compose(j -> audit.append(tx, who.actor(), who.role().wire(), "api_token.create", j.getString("id"),
            Http.remote(ctx), new JsonObject().put("name", name).put("role", role.wire())).map(x -> j))));
  }

  private void revokeApiToken(RoutingContext ctx) {
    UUID id = Http.uuidParam(ctx, "id");
    Principal who = Http.principal(ctx);
    Http.reply(ctx, 204, pool.withTransaction(tx -> tokens.revoke(tx, id).compose(found -> {
      if (!found) {
        return io.vertx.core.Future.failedFuture(Problem.notFound("no active API token " + id));
      }
      return audit.append(tx, who.actor(), who.role().wire(), "api_token.revoke", id.toString(), Http.remote(ctx), null);
    })).map(x -> null));
  }
}
