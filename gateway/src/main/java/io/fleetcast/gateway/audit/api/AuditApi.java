package io.fleetcast.gateway.audit.api;

import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.paging.Page;
import io.vertx.ext.web.Router;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.vertx.core.json.JsonObject;

/** {@code /api/v1/audit} (admin): the audit log, and a verification of its hash chain. */
public final class AuditApi implements ApiResource {
  private final AuditLog audit;

  public AuditApi(AuditLog audit) {
    this.audit = audit;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.get("/api/v1/audit", Role.ADMIN, ctx -> {
      long after = 0;
      String a = ctx.queryParams().get("after");
      if (a != null) {
        try {
          after = Long.parseLong(a);
        } catch (NumberFormatException e) {
          throw Problem.badRequest("after must be a sequence number");
        }
      }
      int limit = Http.limit(ctx, 100, 1000);
      Http.reply(ctx, 200, audit.list(after, limit).map(items -> Page.numbered(items, limit, "seq")));
    });
    routes.get("/api/v1/audit/verify", Role.ADMIN, ctx -> Http.reply(ctx, 200, audit.verify()));
  }
}
