package io.fleetcast.gateway.wake.api;

import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.gateway.http.Access;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.fleetcast.gateway.wake.RelayPlanner;
import io.fleetcast.gateway.wake.WakeExecutor;
import io.fleetcast.gateway.wake.WakeMetrics;
import io.fleetcast.gateway.wake.WakePlan;
import io.fleetcast.gateway.wake.WakePlan.Outcome;
import io.fleetcast.gateway.wake.WakeRequest;
import io.fleetcast.gateway.wake.WakeSettings;
import io.fleetcast.gateway.wake.WakeStore;
import io.fleetcast.gateway.wake.WakeTarget;
import io.fleetcast.protocol.wake.MacAddress;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /api/v1/wake} (operator): resolves the targets (agents from Postgres, raw MACs
 * with their subnet), plans relays and direct routes, writes the audit row, queues the packets
 * and answers 202 at once; sending is paced afterwards.
 *
 * <p>Answer: {@code requestId}; {@code relayed} and {@code direct}, the numbers of targets
 * handed to at least one relay or direct route (a target with several subnets may count in
 * both); {@code unreachable}[] with {@code reason} and {@code detail}; added to the contract:
 * {@code online}[] (agents that are connected, so not woken), {@code relays} (distinct relay
 * agents asked) and {@code targets}[] (per reachable target: the relays asked and the number of
 * direct destinations).
 */
public final class WakeApi implements ApiResource {
  private final WakeStore store;
  private final RelayPlanner planner;
  private final WakeExecutor executor;
  private final AuditLog audit;
  private final WakeMetrics metrics;
  private final WakeSettings settings;

  public WakeApi(WakeStore store, RelayPlanner planner, WakeExecutor executor, AuditLog audit, WakeMetrics metrics,
      WakeSettings settings) {
    this.store = store;
    this.planner = planner;
    this.executor = executor;
    this.audit = audit;
    this.metrics = metrics;
    this.settings = settings;
  }

  @Override
  public void mount(RouteTable routes) {
    routes.post("/api/v1/wake", Role.OPERATOR, this::wake);
  }

  private void wake(RoutingContext ctx) {
    WakeRequest request = WakeRequest.parse(Http.jsonBody(ctx));
    Http.reply(ctx, 202, handle(request, Http.principal(ctx), Http.remote(ctx)));
  }

  Future<JsonObject> handle(WakeRequest req, Principal who, String remote) {
    String requestId = UUID.randomUUID().toString();
    List<MacAddress> withoutSubnet = new ArrayList<>();
    req.macs().forEach((mac, subnet) -> {
      if (subnet == null) {
        withoutSubnet.add(mac);
      }
    });
    Future<Map<String, WakeTarget>> agents = store.agents(req.agentUuids());
    Future<Map<MacAddress, Set<Subnet>>> owners = store.subnetsOfMacs(withoutSubnet);
    return Future.all(agents, owners).compose(x -> {
      List<WakeTarget> targets = new ArrayList<>();
      JsonArray unreachable = new JsonArray();
      for (String id : req.agents()) {
        WakeTarget t = agents.result().get(id);
        if (t == null) {
          metrics.unreachable(WakePlan.Reason.unknown_agent);
          unreachable.add(new JsonObject().put("agentId", id).put("reason", WakePlan.Reason.unknown_agent.name())
              .put("detail", "no enrolled agent with this id"));
        } else {
          targets.add(t);
        }
      }
      req.macs().forEach((mac, subnet) -> targets.add(WakeTarget.mac(mac, subnet != null ? List.of(subnet)
          : List.copyOf(owners.result().getOrDefault(mac, Set.of())))));
      return planner.plan(targets, req.secureOn() != null).compose(plan -> {
        if (!executor.fits(plan.cost(settings.repeats()))) {
          return Future.failedFuture(Problem.unavailable("the wake queue is full (" + executor.queued()
              + " packets waiting to be paced out); retry later", 10));
        }
        JsonObject answer = answer(requestId, plan, unreachable);
        JsonObject detail = new JsonObject().put("agents", req.agents().size()).put("macs", req.macs().size())
            .put("relayed", answer.getInteger("relayed")).put("direct", answer.getInteger("direct"))
            .put("unreachable", answer.getJsonArray("unreachable").size()).put("secureOn", req.secureOn() != null);
        return store.pool().withTransaction(tx -> audit.append(tx, who.actor(), who.role().wire(), "wake", requestId,
                remote, detail))
            .compose(seq -> executor.execute(requestId, "api", plan, req.secureOn()))
            .map(v -> answer);
      });
    });
  }

  static JsonObject answer(String requestId, WakePlan plan, JsonArray unknown) {
    int relayed = 0;
    int direct = 0;
    Set<String> relays = new LinkedHashSet<>();
    JsonArray unreachable = unknown.copy();
    JsonArray online = new JsonArray();
    JsonArray targets = new JsonArray();
    for (Outcome o : plan.outcomes()) {
      if (o.online()) {
        online.add(o.target().agentId());
        continue;
      }
      JsonObject t = identify(o.target());
      if (o.unreachable()) {
        unreachable.add(t.put("reason", o.reason().name()).put("detail", o.detail()));
        continue;
      }
      relayed += o.relayed() ? 1 : 0;
      direct += o.direct() ? 1 : 0;
      relays.addAll(o.relays());
      targets.add(t.put("relays", new JsonArray(new ArrayList<>(o.relays()))).put("direct", o.directDestinations()));
    }
    return new JsonObject().put("requestId", requestId).put("relayed", relayed).put("direct", direct)
        .put("unreachable", unreachable).put("online", online).put("relays", relays.size()).put("targets", targets);
  }

  private static JsonObject identify(WakeTarget t) {
    JsonObject j = new JsonObject();
    if (t.agentId() != null) {
      j.put("agentId", t.agentId());
    } else {
      j.put("mac", t.requestedMac());
    }
    JsonArray subnets = new JsonArray();
    t.subnets().forEach(s -> subnets.add(s.toString()));
    return j.put("subnets", subnets);
  }
}
