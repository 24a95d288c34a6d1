package io.fleetcast.gateway.api;

import io.fleetcast.gateway.agent.AgentDirectory;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.node.store.IpText;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/agents}: list, show, revoke. */
final class AgentsApi {
  private final AgentDirectory agents;

  AgentsApi(AgentDirectory agents) {
    this.agents = agents;
  }

  void mount(Router r) {
    r.get("/api/v1/agents").handler(this::list);
    r.get("/api/v1/agents/:id").handler(ctx -> Http.reply(ctx, 200, agents.get(Http.uuidParam(ctx, "id"))));
    r.delete("/api/v1/agents/:id").handler(Access.require(Role.ADMIN))
        .handler(ctx -> Http.reply(ctx, 204, agents.revoke(Http.uuidParam(ctx, "id"), Http.principal(ctx), Http.remote(ctx))));
  }

  private void list(RoutingContext ctx) {
    String subnet = ctx.queryParams().get("subnet");
    if (subnet != null && (!IpText.isCidr(subnet) || IpText.hasHostBits(subnet))) {
      throw Problem.badRequest("subnet must be a CIDR block without host bits, such as 10.20.0.0/16");
    }
    String tag = ctx.queryParams().get("tag");
    String version = ctx.queryParams().get("version");
    if (version != null && (version.isBlank() || version.length() > 64)) {
      throw Problem.badRequest("version must be 1-64 characters");
    }
    Http.reply(ctx, 200, agents.list(Http.boolParam(ctx, "online"), tag, subnet, version, Http.limit(ctx, 100, 1000),
        ctx.queryParams().get("after")));
  }
}
