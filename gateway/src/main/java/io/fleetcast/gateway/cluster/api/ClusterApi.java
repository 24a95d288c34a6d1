package io.fleetcast.gateway.cluster.api;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.ControlOp;
import io.fleetcast.common.bus.ControlReply;
import io.fleetcast.common.cluster.NodeDirectory;
import io.fleetcast.common.cluster.NodeInfo;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.function.IntSupplier;

/** {@code /api/v1/cluster}: nodes and their load; draining a node for a rolling upgrade. */
public final class ClusterApi implements ApiResource {
  private final Vertx vertx;
  private final Pool pool;
  private final NodeDirectory nodes;
  private final AuditLog audit;
  private final IntSupplier members;

  public ClusterApi(Vertx vertx, Pool pool, NodeDirectory nodes, AuditLog audit, IntSupplier members) {
    this.vertx = vertx;
    this.pool = pool;
    this.nodes = nodes;
    this.audit = audit;
    this.members = members;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.get("/api/v1/cluster", Role.VIEWER, ctx -> Http.reply(ctx, 200, nodes.all().map(list -> {
      JsonArray arr = new JsonArray();
      int connections = 0;
      for (NodeInfo n : list) {
        arr.add(new JsonObject().put("id", n.nodeId()).put("address", n.agentUrl()).put("connections", n.connections())
            .put("state", n.state().wire()).put("updatedAt", n.updatedAt().toString()));
        connections += n.connections();
      }
      return new JsonObject().put("nodes", arr).put("members", members.getAsInt()).put("connections", connections);
    })));
    routes.post("/api/v1/cluster/nodes/:id/drain", Role.ADMIN, ctx -> control(ctx, "drain"));
    routes.post("/api/v1/cluster/nodes/:id/undrain", Role.ADMIN, ctx -> control(ctx, "undrain"));
  }

  private void control(RoutingContext ctx, String op) {
    String node = ctx.pathParam("id");
    Principal who = Http.principal(ctx);
    int perSecond = 200;
    String ps = ctx.queryParams().get("perSecond");
    if (ps != null) {
      try {
        perSecond = Integer.parseInt(ps);
      } catch (NumberFormatException e) {
        throw Problem.badRequest("perSecond must be an integer");
      }
      if (perSecond < 1 || perSecond > 100_000) {
        throw Problem.badRequest("perSecond must be between 1 and 100000");
      }
    }
    int pace = perSecond;
    Future<JsonObject> result = nodes.all().compose(list -> {
      if (list.stream().noneMatch(n -> n.nodeId().equals(node))) {
        return Future.failedFuture(Problem.notFound("no node " + node + " in the cluster"));
      }
      return pool.withTransaction(tx -> audit.append(tx, who.actor(), who.role().wire(), "node." + op, node,
              Http.remote(ctx), new JsonObject().put("perSecond", pace)))
          .compose(seq -> vertx.eventBus().<ControlReply>request(Addresses.control(node),
              "drain".equals(op) ? new ControlOp.Drain(pace) : new ControlOp.Undrain(), new DeliveryOptions().setSendTimeout(5000)))
          .map(reply -> reply.body().toJson().put("node", node));
    });
    Http.reply(ctx, 202, result);
  }
}
