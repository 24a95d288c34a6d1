package io.fleetcast.gateway.deploy;

import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.error.FieldError;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Creating, starting, retrying and cancelling deployments, each change audited. Discovery runs
 * here (CSV parsing and LDAP searches on a worker thread); the installs run in
 * {@link DeploymentRunner}. Credentials are sealed before they reach the database.
 */
public final class DeploymentService {
  private final DeploymentStore store;
  private final AuditLog audit;
  private final CredentialVault vault;
  private final HostDirectory directory;
  private final WorkerExecutor worker;
  private final DeploySettings settings;
  private final DeployMetrics metrics;
  private final Runnable scheduled;

  /** {@code scheduled} is told when hosts were scheduled (the runner claims them at once). */
  public DeploymentService(DeployParts parts, AuditLog audit, HostDirectory directory, Runnable scheduled) {
    this.scheduled = scheduled;
    this.store = parts.store();
    this.audit = audit;
    this.vault = parts.vault();
    this.directory = directory;
    this.worker = parts.worker();
    this.settings = parts.settings();
    this.metrics = parts.metrics();
  }

  public DeploymentStore store() {
    return store;
  }

  private record Discovery(List<DiscoveredHost> hosts, List<CsvHosts.LineError> lineErrors) {}

  public Future<JsonObject> create(JsonObject body, Principal who, String remote) {
    DeploymentRequest.Create req = DeploymentRequest.create(body, settings);
    UUID id = UUID.randomUUID();
    return discover(req.source()).compose(d -> {
      if (!d.lineErrors().isEmpty()) {
        metrics.rejectedLines(d.lineErrors().size());
      }
      if (d.hosts().isEmpty()) {
        List<FieldError> errors = new ArrayList<>();
        d.lineErrors().forEach(e -> errors.add(new FieldError("csv", "line " + e.line() + ": " + e.message())));
        if (errors.isEmpty()) {
          errors.add(new FieldError(req.source().wire(), "found no hosts"));
        }
        return Future.failedFuture(DomainError.invalid(errors));
      }
      JsonObject detail = new JsonObject().put("name", req.name()).put("source", req.source().wire())
          .put("hosts", d.hosts().size()).put("started", req.start() != null);
      return store.pool().withTransaction(tx -> audit.append(tx, who.actor(), who.role().wire(), "deployment.create",
                  id.toString(), remote, detail)
              .compose(seq -> store.insertJob(tx, id, req.name(), req.source().wire(), req.tags(), d.hosts(), who.actor())))
          .compose(v -> store.matchAgents(id))
          .compose(withAgent -> (req.start() == null ? Future.succeededFuture(0) : schedule(id, req.start(), HostState.DISCOVERED))
              .map(scheduled -> {
                JsonArray lines = new JsonArray();
                d.lineErrors().forEach(e -> lines.add(new JsonObject().put("line", e.line()).put("message", e.message())));
                return new JsonObject().put("id", id.toString()).put("hosts", d.hosts().size()).put("withAgent", withAgent)
                    .put("scheduled", scheduled).put("lineErrors", lines);
              }));
    });
  }

  /** Schedules the discovered hosts of a job with these credentials and plan. */
  public Future<JsonObject> start(UUID id, JsonObject body, Principal who, String remote) {
    DeploymentRequest.Start s = DeploymentRequest.start(body, settings);
    return audited(id, "deployment.start", who, remote)
        .compose(v -> store.matchAgents(id))
        .compose(v -> schedule(id, s, HostState.DISCOVERED))
        .map(n -> new JsonObject().put("id", id.toString()).put("scheduled", n));
  }

  /** Re-schedules every failed host of a job in one call (optionally with new credentials or plan). */
  public Future<JsonObject> retry(UUID id, JsonObject body, Principal who, String remote) {
    DeploymentRequest.Start s = DeploymentRequest.retry(body, settings);
    return audited(id, "deployment.retry", who, remote)
        .compose(v -> store.matchAgents(id))
        .compose(v -> s == null ? store.schedule(id, null, null, null, HostState.FAILED).compose(this::known)
            : schedule(id, s, HostState.FAILED))
        .map(n -> new JsonObject().put("id", id.toString()).put("scheduled", n));
  }

  public Future<JsonObject> cancel(UUID id, Principal who, String remote) {
    return audited(id, "deployment.cancel", who, remote).compose(v -> store.cancel(id))
        .compose(ok -> ok ? Future.succeededFuture(new JsonObject().put("id", id.toString()).put("state", "cancelled"))
            : Future.failedFuture(DomainError.conflict("deployment " + id + " is already cancelled")));
  }

  /** One job with its hosts; hosts whose agent enrolled on its own meanwhile are shown withAgent. */
  public Future<JsonObject> get(UUID id, String state) {
    return store.matchAgents(id).compose(n -> store.get(id, state))
        .compose(j -> j == null ? Future.failedFuture(DomainError.notFound("no deployment " + id)) : Future.succeededFuture(j));
  }

  private Future<Integer> schedule(UUID id, DeploymentRequest.Start s, HostState from) {
    if (settings.agentJar() == null) {
      return Future.failedFuture(DomainError.unavailable("deploy.agentJar is not set on this gateway: nothing to install", 60));
    }
    String sealed = vault.seal(s.credentials(), id.toString());
    return store.schedule(id, s.plan().toJson(), sealed, s.credentials().publicJson(), from).compose(this::known);
  }

  private Future<Integer> known(int n) {
    if (n > 0) {
      scheduled.run();
    }
    return n < 0 ? Future.failedFuture(DomainError.conflict("the deployment is cancelled or has no credentials yet"))
        : Future.succeededFuture(n);
  }

  private Future<Void> audited(UUID id, String action, Principal who, String remote) {
    return store.exists(id).compose(found -> !found
        ? Future.failedFuture(DomainError.notFound("no deployment " + id))
        : store.pool().withTransaction(tx -> audit.append(tx, who.actor(), who.role().wire(), action, id.toString(),
            remote, new JsonObject())).mapEmpty());
  }

  private Future<Discovery> discover(DeploymentRequest.Source source) {
    if (source instanceof DeploymentRequest.HostList l) {
      return Future.succeededFuture(new Discovery(l.hosts(), List.of()));
    }
    if (source instanceof DeploymentRequest.Csv c) {
      return worker.executeBlocking(() -> {
        CsvHosts.Parsed p = CsvHosts.parse(c.text());
        return new Discovery(p.hosts(), p.errors());
      }, false);
    }
    LdapQuery q = ((DeploymentRequest.Ldap) source).query();
    return worker.executeBlocking(() -> new Discovery(directory.search(q), List.<CsvHosts.LineError>of()), false)
        .recover(e -> Future.failedFuture(e instanceof HostDirectory.DirectoryException
            ? DomainError.upstreamFailed(e.getMessage(), List.of(new FieldError("ldap", e.getMessage())))
            : e));
  }
}
