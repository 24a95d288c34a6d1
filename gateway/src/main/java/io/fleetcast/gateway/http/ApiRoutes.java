package io.fleetcast.gateway.http;

import io.fleetcast.gateway.agent.api.AgentEntryApi;
import io.fleetcast.gateway.agent.api.AgentsApi;
import io.fleetcast.gateway.audit.api.AuditApi;
import io.fleetcast.gateway.cluster.api.ClusterApi;
import io.fleetcast.gateway.rollout.api.RolloutsApi;
import io.fleetcast.gateway.token.api.TokensApi;

import io.fleetcast.common.cluster.NodeDirectory;
import io.fleetcast.common.cluster.Quorum;
import io.fleetcast.common.security.AgentSecrets;
import io.fleetcast.gateway.agent.AgentDirectory;
import io.fleetcast.gateway.enrollment.Enrollment;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.ApiTokens;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.fleetcast.gateway.rollout.api.RolloutEvents;
import io.fleetcast.gateway.rollout.RolloutService;
import io.fleetcast.gateway.rollout.RolloutStore;
import io.fleetcast.gateway.rollout.TargetGroups;
import io.fleetcast.gateway.rollout.TaskSigner;
import io.fleetcast.node.agent.RevocationList;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Wires the API resource handlers; the one place that knows them all. */
public final class ApiRoutes {
  private final ApiServer.Routes routes;
  private final List<Consumer<Router>> extra = new ArrayList<>();
  private final List<Consumer<Router>> open = new ArrayList<>();

  public ApiRoutes(Vertx vertx, Pool pool, RolloutService service, RolloutStore store,
      RolloutEvents events, ApiTokens tokens, Enrollment enrollment, AuditLog audit, AgentDirectory agents,
      AgentSecrets secrets, RevocationList revocations, NodeDirectory nodes, TaskSigner signer, GatewayMetrics metrics,
      Quorum quorum, Access access, Duration defaultExpiry, String caSha256, TargetGroups groups) {
    this.routes = new ApiServer.Routes(access,
        new RolloutsApi(service, store, events, defaultExpiry, groups),
        new AgentsApi(agents),
        new TokensApi(pool, tokens, enrollment, audit),
        new AgentEntryApi(enrollment, secrets, revocations, nodes, signer, metrics, caSha256, access.throttle(),
            agents),
        new ClusterApi(vertx, pool, nodes, audit, quorum::members),
        new AuditApi(audit),
        extra, open);
  }

  /**
   * Orders the nodes handed to an agent at enrollment and bootstrap after load: nodes of the
   * agent's site first (SPEC "least loaded, same site"). Software distribution knows the sites.
   */
  public interface NodeOrder {
    /** {@code agentId} is null at enrollment; {@code ips} are the agent's addresses when known. */
    io.vertx.core.Future<List<io.fleetcast.common.cluster.NodeInfo>> order(String agentId, List<String> ips,
        List<io.fleetcast.common.cluster.NodeInfo> bestFirst);
  }

  public ApiRoutes nodeOrder(NodeOrder order) {
    routes.entry().nodeOrder(order);
    return this;
  }

  /** Lets a feature module add routes (mounted after the built-in ones, behind the same auth). */
  public ApiRoutes with(Consumer<Router> mount) {
    extra.add(mount);
    return this;
  }

  /**
   * Adds routes mounted before authentication (the console's static files and sign-in); they
   * must check whatever they need themselves.
   */
  public ApiRoutes withOpen(Consumer<Router> mount) {
    open.add(mount);
    return this;
  }

  public Router router(ApiServer server) {
    return server.router(routes);
  }
}
