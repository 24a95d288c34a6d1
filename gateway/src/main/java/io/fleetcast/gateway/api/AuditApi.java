package io.fleetcast.gateway.api;

import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.paging.Page;
import io.vertx.ext.web.Router;

/** {@code /api/v1/audit} (admin): the audit log, and a verification of its hash chain. */
final class AuditApi {
  private final AuditLog audit;

  AuditApi(AuditLog audit) {
    this.audit = audit;
  }

  void mount(Router r) {
    r.get("/api/v1/audit").handler(Access.require(Role.ADMIN)).handler(ctx -> {
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
    r.get("/api/v1/audit/verify").handler(Access.require(Role.ADMIN)).handler(ctx -> Http.reply(ctx, 200, audit.verify()));
  }
}
