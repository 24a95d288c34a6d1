package io.fleetcast.gateway.enrollment.api;

import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.enrollment.Enrollment;
import io.fleetcast.gateway.error.BodyReader;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.fleetcast.protocol.net.Subnet;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@code /api/v1/enrollment-tokens} (admin): create, list and revoke the tokens agents enroll with. */
public final class EnrollmentTokensApi implements ApiResource {
  private final Pool pool;
  private final Enrollment enrollment;
  private final AuditLog audit;

  public EnrollmentTokensApi(Pool pool, Enrollment enrollment, AuditLog audit) {
    this.pool = pool;
    this.enrollment = enrollment;
    this.audit = audit;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.post("/api/v1/enrollment-tokens", Role.ADMIN, this::createEnrollmentToken);
    routes.get("/api/v1/enrollment-tokens", Role.ADMIN, ctx -> Http.reply(ctx, 200,
        enrollment.tokens().list(Http.limit(ctx, 100, 1000), ctx.queryParams().get("after"))));
    routes.delete("/api/v1/enrollment-tokens/:id", Role.ADMIN, this::revokeEnrollmentToken);
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
