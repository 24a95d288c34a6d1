package io.fleetcast.gateway.agent.api;

import io.fleetcast.gateway.agent.AgentDirectory;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.protocol.net.Subnet;
import io.vertx.ext.web.Router;
import io.fleetcast.gateway.error.BodyReader;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/agents}: list, show, edit tags, revoke. */
public final class AgentsApi implements ApiResource {
  private final AgentDirectory agents;

  public AgentsApi(AgentDirectory agents) {
    this.agents = agents;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.get("/api/v1/agents", Role.VIEWER, this::list);
    routes.get("/api/v1/agents/:id", Role.VIEWER, ctx -> Http.reply(ctx, 200, agents.get(Http.uuidParam(ctx, "id"))));
    routes.patch("/api/v1/agents/:id", Role.ADMIN, this::patch);
    routes.delete("/api/v1/agents/:id", Role.ADMIN,
        ctx -> Http.reply(ctx, 204, agents.revoke(Http.uuidParam(ctx, "id"), Http.principal(ctx), Http.remote(ctx))));
  }

  private void list(RoutingContext ctx) {
    String subnet = ctx.queryParams().get("subnet");
    if (subnet != null && (!Subnet.isPostgresCidr(subnet) || Subnet.hasHostBits(subnet))) {
      throw Problem.badRequest("subnet must be a CIDR block without host bits, such as 10.20.0.0/16");
    }
    String tag = ctx.queryParams().get("tag");
    String q = ctx.queryParams().get("q");
    String node = ctx.queryParams().get("node");
    String version = ctx.queryParams().get("version");
    if ((q != null && q.length() > 253) || (node != null && node.length() > 200) || (tag != null && tag.length() > 200)) {
      throw Problem.badRequest("q, node and tag are at most 253 characters");
    }
    if (version != null && (version.isBlank() || version.length() > 64)) {
      throw Problem.badRequest("version must be 1-64 characters");
    }
    Http.reply(ctx, 200, agents.list(new AgentDirectory.Filter(Http.boolParam(ctx, "online"), tag, subnet,
        q == null || q.isBlank() ? null : q.trim(), node, version), Http.limit(ctx, 100, 1000),
        ctx.queryParams().get("after")));
  }

  /** {@code {"tags": [...]}}: the agent's trusted tags, as an admin sets them (its reported tags stay apart). */
  private void patch(RoutingContext ctx) {
    BodyReader r = BodyReader.of(Http.jsonBody(ctx));
    r.onlyKnown(java.util.Set.of("tags"));
    java.util.List<String> tags = r.strings("tags", 100, 100);
    if (!r.has("tags")) {
      r.error("tags", "is required (the trusted tags of this agent)");
    }
    for (int i = 0; i < tags.size(); i++) {
      if (!tags.get(i).matches("[A-Za-z0-9._:/-]{1,100}")) {
        r.error("tags[" + i + "]", "letters, digits and . _ : / - only");
      }
    }
    r.throwIfInvalid();
    Http.reply(ctx, 200, agents.setTags(Http.uuidParam(ctx, "id"), tags, Http.principal(ctx), Http.remote(ctx)));
  }
}
