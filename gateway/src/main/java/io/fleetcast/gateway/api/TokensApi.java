package io.fleetcast.gateway.api;

import io.fleetcast.gateway.agent.Enrollment;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.ApiTokens;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.protocol.net.Subnet;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@code /api/v1/api-tokens} and {@code /api/v1/enrollment-tokens} (admin). */
final class TokensApi {
  private final Pool pool;
  private final ApiTokens tokens;
  private final Enrollment enrollment;
  private final AuditLog audit;

  TokensApi(Pool pool, ApiTokens tokens, Enrollment enrollment, AuditLog audit) {
    this.pool = pool;
    this.tokens = tokens;
    this.enrollment = enrollment;
    this.audit = audit;
  }

  void mount(Router r) {
    r.post("/api/v1/api-tokens").handler(Access.require(Role.ADMIN)).handler(this::createApiToken);
    r.get("/api/v1/api-tokens").handler(Access.require(Role.ADMIN)).handler(ctx -> Http.reply(ctx, 200,
        tokens.list().map(items -> new JsonObject().put("items", items))));
    r.delete("/api/v1/api-tokens/:id").handler(Access.require(Role.ADMIN)).handler(this::revokeApiToken);
    r.post("/api/v1/enrollment-tokens").handler(Access.require(Role.ADMIN)).handler(this::createEnrollmentToken);
    r.get("/api/v1/enrollment-tokens").handler(Access.require(Role.ADMIN)).handler(ctx -> Http.reply(ctx, 200,
        enrollment.tokens().list(Http.limit(ctx, 100, 1000), ctx.queryParams().get("after"))));
    r.delete("/api/v1/enrollment-tokens/:id").handler(Access.require(Role.ADMIN)).handler(this::revokeEnrollmentToken);
  }

  private void revokeEnrollmentToken(RoutingContext ctx) {
    UUID id = Http.uuidParam(ctx, "id");
    Principal who = Http.principal(ctx);
    Http.reply(ctx, 204, pool.withTransaction(tx -> enrollment.tokens().revoke(tx, id).compose(found -> {
      if (!found) {
        return io.vertx.core.Future.failedFuture(Problem.notFound("no unrevoked enrollment token " + id));
      }
      return audit.append(tx, who.actor(), who.role().wire(), "enrollment_token.revoke", id.toString(),
          Http.remote(ctx), null);
    })).map(x -> null));
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

  private void createEnrollmentToken(RoutingContext ctx) {
    BodyReader b = BodyReader.of(Http.jsonBody(ctx));
    b.onlyKnown(Set.of("expiresAt", "maxUses", "tags", "allowedCidrs"));
    Instant expiresAt = b.instant("expiresAt", false);
    if (expiresAt == null && !b.has("expiresAt")) {
      expiresAt = Instant.now().plus(Duration.ofDays(1));
    } else if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
      b.error("expiresAt", "must be in the future");
    }
    Integer maxUses = b.integer("maxUses", false, 1, 10_000_000);
    List<String> tags = b.strings("tags", 50, 128);
    List<String> cidrs = b.strings("allowedCidrs", 100, 64);
    for (int i = 0; i < cidrs.size(); i++) {
      if (!Subnet.isPostgresCidr(cidrs.get(i)) || Subnet.hasHostBits(cidrs.get(i))) {
        b.error("allowedCidrs[" + i + "]", "must be a CIDR block without host bits, such as 10.0.0.0/8");
      }
    }
    b.throwIfInvalid();
    // Postgres keeps microseconds: answer the expiry as it is stored (and listed)
    expiresAt = expiresAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    Http.reply(ctx, 201, enrollment.tokens().create(expiresAt, maxUses == null ? 1 : maxUses, tags, cidrs,
        Http.principal(ctx), Http.remote(ctx)));
  }
}
