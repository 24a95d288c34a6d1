package io.fleetcast.gateway.agent.api;

import io.fleetcast.common.cluster.NodeDirectory;
import io.fleetcast.common.cluster.NodeInfo;
import io.fleetcast.common.security.AgentSecrets;
import io.fleetcast.gateway.agent.FactsPolicy;
import io.fleetcast.gateway.agent.NodeOrder;
import io.fleetcast.gateway.agent.RevokedAgents;
import io.fleetcast.gateway.enrollment.Enrollment;
import io.fleetcast.gateway.error.BodyReader;
import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.ApiServer;
import io.fleetcast.gateway.http.AuthThrottle;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.http.RouteTable;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.fleetcast.gateway.rollout.TaskSigner;
import io.fleetcast.protocol.AgentCredential;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where agents come in: {@code POST /api/v1/enroll} (enrollment token) and
 * {@code GET /agent/v1/bootstrap} (agent credential). Both answer node URLs, least loaded
 * first, the task-signing public keys and, when {@code tls.caCert} is set, the SHA-256 of the CA
 * that issued the nodes' certificates ({@code caSha256}) for the agent to pin. Also
 * {@code GET /agent/v1/self} (agent credential): the agent's trusted tags, which agents ask for
 * when a signed task names a tag they do not know they have (an admin set it after enrollment).
 */
public final class AgentEntryApi implements ApiResource {
  private final Enrollment enrollment;
  private final AgentSecrets secrets;
  private final RevokedAgents revocations;
  private final NodeDirectory nodes;
  private final TaskSigner signer;
  private final GatewayMetrics metrics;
  private final String caSha256;
  private final AuthThrottle throttle;
  private final io.fleetcast.gateway.agent.AgentDirectory agents;
  private final io.fleetcast.gateway.agent.NodeChooser chooser = new io.fleetcast.gateway.agent.NodeChooser();

  /** An enroll body: hostname and facts ({@link FactsPolicy#MAX_BYTES}) with room for JSON escapes. */
  static final int ENROLL_BODY_BYTES = 4 * FactsPolicy.MAX_BYTES;
  private static final String TOKEN = "enrollmentToken";
  /** The canonical id of the agent whose credential {@code checkCredential} accepted. */
  private static final String AGENT_ID = "agentId";

  public AgentEntryApi(Enrollment enrollment, AgentSecrets secrets, RevokedAgents revocations, NodeDirectory nodes,
      TaskSigner signer, GatewayMetrics metrics, String caSha256, AuthThrottle throttle,
      io.fleetcast.gateway.agent.AgentDirectory agents) {
    this.throttle = throttle;
    this.agents = agents;
    this.enrollment = enrollment;
    this.secrets = secrets;
    this.revocations = revocations;
    this.nodes = nodes;
    this.signer = signer;
    this.metrics = metrics;
    this.caSha256 = caSha256;
  }

  private NodeOrder order = (agentId, ips, list) -> Future.succeededFuture(list);

  public void nodeOrder(NodeOrder o) {
    this.order = o;
  }

  @Override
  public void mount(RouteTable routes) {
    // open routes: the credential is checked from the headers; only then is the (small) body read
    routes.open(HttpMethod.POST, "/api/v1/enroll", this::checkEnrollmentToken,
        ApiServer.bodyHandler(ENROLL_BODY_BYTES), this::enroll);
    routes.open(HttpMethod.GET, "/agent/v1/bootstrap", this::checkCredential, ApiServer.bodyHandler(1024),
        this::bootstrap);
    routes.open(HttpMethod.GET, "/agent/v1/self", this::checkCredential, ApiServer.bodyHandler(1024), this::self);
  }

  /** 401/403 from the token alone (one query, no transaction, no use taken); 429 for an address refused too often. */
  private void checkEnrollmentToken(RoutingContext ctx) {
    String h = ctx.request().getHeader("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7) || h.length() > 512) {
      metrics.enrollment("unauthorized");
      throw Problem.unauthorized("send Authorization: Bearer <enrollment token>");
    }
    String remote = Http.remote(ctx);
    int blocked = throttle.retryAfter(remote);
    if (blocked > 0) {
      metrics.enrollment("throttled");
      throw Problem.tooManyFailedAuthentications(blocked);
    }
    String token = h.substring(7).trim();
    enrollment.refusal(token, remote).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result().isPresent()) {
        ctx.fail(refused(ar.result().get(), remote));
      } else {
        ctx.put(TOKEN, token);
        ctx.next();
      }
    });
  }

  private DomainError refused(DomainError e, String remote) {
    throttle.failed(remote);
    metrics.authFailure("enrollment_token");
    metrics.enrollment(e.kind() == DomainError.Kind.FORBIDDEN ? "forbidden" : "refused");
    return e;
  }

  private void enroll(RoutingContext ctx) {
    BodyReader b = BodyReader.of(Http.jsonBody(ctx));
    b.onlyKnown(Set.of("hostname", "facts"));
    String hostname = b.string("hostname", true, 255);
    JsonObject facts = b.object("facts", false);
    if (facts != null) {
      FactsPolicy.check(facts).forEach(e -> b.error(e.field(), e.message()));
    }
    if (!b.errors().isEmpty()) {
      metrics.enrollment("invalid");
    }
    b.throwIfInvalid();
    String remote = Http.remote(ctx);
    Future<JsonObject> answer = enrollment.enroll(ctx.get(TOKEN), remote, hostname, facts)
        .compose(e -> nodeUrls(null, ips(facts)).map(urls -> new JsonObject()
            .put("agentId", e.agentId().toString())
            .put("agentSecret", e.secret())
            .put("nodes", urls)
            .put("tags", new JsonArray(e.tags()))
            .put("signingKeys", signer.publicKeysJson())))
        .map(this::withPin)
        .onSuccess(x -> metrics.enrollment("enrolled"))
        .recover(e -> Future.failedFuture(e instanceof DomainError d
            && (d.kind() == DomainError.Kind.UNAUTHORIZED || d.kind() == DomainError.Kind.FORBIDDEN)
            ? refused(d, remote) : e));
    Http.reply(ctx, 201, answer);
  }

  /** Checks the agent credential (an HMAC, no database); refused ones count against the address. */
  private void checkCredential(RoutingContext ctx) {
    Optional<AgentCredential> cred = AgentCredential.fromAuthorizationHeader(ctx.request().getHeader("Authorization"))
        // the same agent whatever the case of its id, as on the agent port
        .map(c -> new AgentCredential(String.valueOf(io.fleetcast.protocol.AgentIds.canonical(c.agentId())), c.secret()));
    if (cred.isEmpty() || !secrets.verify(cred.get())) {
      String remote = Http.remote(ctx);
      if (cred.isPresent()) {
        throttle.failed(remote);
        metrics.authFailure("agent_credential");
      }
      int blocked = throttle.retryAfter(remote);
      throw blocked > 0 ? Problem.tooManyFailedAuthentications(blocked)
          : Problem.unauthorized("send Authorization: Bearer <agentId>.<agentSecret>");
    }
    if (revocations.isRevoked(cred.get().agentId())) {
      throw Problem.forbidden("agent revoked");
    }
    ctx.put(AGENT_ID, cred.get().agentId());
    ctx.next();
  }

  /** The agent's server-assigned tags (one primary-key read); 403 once revoked meanwhile. */
  private void self(RoutingContext ctx) {
    String agentId = ctx.get(AGENT_ID);
    Http.reply(ctx, 200, agents.trustedTags(java.util.UUID.fromString(agentId)).map(tags -> new JsonObject()
        .put("agentId", agentId)
        .put("tags", new JsonArray(tags.orElseThrow(() -> Problem.forbidden("agent revoked or unknown"))))));
  }

  private void bootstrap(RoutingContext ctx) {
    Http.reply(ctx, 200, nodeUrls(ctx.get(AGENT_ID), List.of()).map(urls -> new JsonObject().put("nodes", urls)
        .put("signingKeys", signer.publicKeysJson())).map(this::withPin));
  }

  private JsonObject withPin(JsonObject answer) {
    return caSha256 == null ? answer : answer.put("caSha256", caSha256);
  }

  private static List<String> ips(JsonObject facts) {
    // facts are validated for size and shape, not for meaning: "ips" may be any scalar or array
    JsonArray a = facts != null && facts.getValue("ips") instanceof JsonArray arr ? arr : null;
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
