package io.fleetcast.gateway.api;

import io.fleetcast.common.cluster.NodeDirectory;
import io.fleetcast.common.cluster.NodeInfo;
import io.fleetcast.common.security.AgentSecrets;
import io.fleetcast.gateway.agent.Enrollment;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.fleetcast.gateway.rollout.TaskSigner;
import io.fleetcast.node.agent.RevocationList;
import io.fleetcast.protocol.AgentCredential;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where agents come in: {@code POST /api/v1/enroll} (enrollment token) and
 * {@code GET /agent/v1/bootstrap} (agent credential). Both answer node URLs, least loaded
 * first, the task-signing public keys and, when {@code tls.caCert} is set, the SHA-256 of the CA
 * that issued the nodes' certificates ({@code caSha256}) for the agent to pin.
 */
final class AgentEntryApi {
  private final Enrollment enrollment;
  private final AgentSecrets secrets;
  private final RevocationList revocations;
  private final NodeDirectory nodes;
  private final TaskSigner signer;
  private final GatewayMetrics metrics;
  private final String caSha256;
  private final io.fleetcast.gateway.agent.NodeChooser chooser = new io.fleetcast.gateway.agent.NodeChooser();

  AgentEntryApi(Enrollment enrollment, AgentSecrets secrets, RevocationList revocations, NodeDirectory nodes,
      TaskSigner signer, GatewayMetrics metrics, String caSha256) {
    this.enrollment = enrollment;
    this.secrets = secrets;
    this.revocations = revocations;
    this.nodes = nodes;
    this.signer = signer;
    this.metrics = metrics;
    this.caSha256 = caSha256;
  }

  private ApiRoutes.NodeOrder order = (agentId, ips, list) -> Future.succeededFuture(list);

  void nodeOrder(ApiRoutes.NodeOrder o) {
    this.order = o;
  }

  void mount(Router r) {
    r.post("/api/v1/enroll").handler(this::enroll);
    r.get("/agent/v1/bootstrap").handler(this::bootstrap);
  }

  private void enroll(RoutingContext ctx) {
    String h = ctx.request().getHeader("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7) || h.length() > 512) {
      metrics.enrollment("unauthorized");
      throw Problem.unauthorized("send Authorization: Bearer <enrollment token>");
    }
    BodyReader b = BodyReader.of(Http.jsonBody(ctx));
    b.onlyKnown(Set.of("hostname", "facts"));
    String hostname = b.string("hostname", true, 255);
    JsonObject facts = b.object("facts", false);
    b.throwIfInvalid();
    Future<JsonObject> answer = enrollment.enroll(h.substring(7).trim(), Http.remote(ctx), hostname, facts)
        .compose(e -> nodeUrls(null, ips(facts)).map(urls -> new JsonObject()
            .put("agentId", e.agentId().toString())
            .put("agentSecret", e.secret())
            .put("nodes", urls)
            .put("tags", new JsonArray(e.tags()))
            .put("signingKeys", signer.publicKeysJson())))
        .map(this::withPin)
        .onSuccess(x -> metrics.enrollment("enrolled"))
        .onFailure(e -> metrics.enrollment(e instanceof Problem p && p.status() == 403 ? "forbidden" : "refused"));
    Http.reply(ctx, 201, answer);
  }

  private void bootstrap(RoutingContext ctx) {
    Optional<AgentCredential> cred = AgentCredential.fromAuthorizationHeader(ctx.request().getHeader("Authorization"));
    if (cred.isEmpty() || !secrets.verify(cred.get())) {
      throw Problem.unauthorized("send Authorization: Bearer <agentId>.<agentSecret>");
    }
    if (revocations.isRevoked(cred.get().agentId())) {
      throw Problem.forbidden("agent revoked");
    }
    Http.reply(ctx, 200, nodeUrls(cred.get().agentId(), List.of()).map(urls -> new JsonObject().put("nodes", urls)
        .put("signingKeys", signer.publicKeysJson())).map(this::withPin));
  }

  private JsonObject withPin(JsonObject answer) {
    return caSha256 == null ? answer : answer.put("caSha256", caSha256);
  }

  private static List<String> ips(JsonObject facts) {
    JsonArray a = facts == null ? null : facts.getJsonArray("ips");
    return a == null ? List.of() : a.stream().filter(String.class::isInstance).map(String.class::cast).limit(64).toList();
  }

  private Future<JsonArray> nodeUrls(String agentId, List<String> ips) {
    return nodes.bestFirst().map(chooser::bestFirst)
        .compose(list -> order.order(agentId, ips, list).recover(e -> {
          // the load order still works: an ordering problem must not fail enrollment or bootstrap
          java.util.logging.Logger.getLogger(AgentEntryApi.class.getName()).warning(
              io.fleetcast.common.log.Kv.event("bootstrap.site_order_failed", "error", String.valueOf(e)));
          return Future.succeededFuture(list);
        })).map(list -> {
      JsonArray arr = new JsonArray();
      for (NodeInfo n : list) {
        arr.add(n.agentUrl());
      }
      return arr;
    });
  }

}
