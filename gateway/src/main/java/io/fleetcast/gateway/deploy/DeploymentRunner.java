package io.fleetcast.gateway.deploy;

import io.fleetcast.common.log.Kv;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.enrollment.Enrollment;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Runs installs: every tick claims scheduled hosts up to {@code deploy.maxConcurrent} in flight
 * on this gateway, issues each a one-use enrollment token, runs the {@link RemoteInstaller} on
 * a bounded worker pool, then waits for the agent that enrolls with that token to connect.
 * Transient failures go back to scheduled with exponential back-off until the attempts are used up.
 */
public final class DeploymentRunner {
  private static final Logger LOG = Logger.getLogger(DeploymentRunner.class.getName());
  private static final Duration POLL = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final DeploymentStore store;
  private final Enrollment enrollment;
  private final RemoteInstaller installer;
  private final CredentialVault vault;
  private final WorkerExecutor worker;
  private final DeploySettings settings;
  private final DeployMetrics metrics;
  private int inFlight;
  private boolean claiming;
  private long timer = -1;
  private long staleTimer = -1;
  private io.vertx.core.Context context;

  public DeploymentRunner(Vertx vertx, DeployParts parts, Enrollment enrollment, RemoteInstaller installer) {
    this.vertx = vertx;
    this.store = parts.store();
    this.enrollment = enrollment;
    this.installer = installer;
    this.vault = parts.vault();
    this.worker = parts.worker();
    this.settings = parts.settings();
    this.metrics = parts.metrics();
  }

  /** Everything of the runner (timers, kicks, completions) runs on one context: its counters need no lock. */
  public void start(long tickMillis) {
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> startTimers(tickMillis));
  }

  private void startTimers(long tickMillis) {
    timer = vertx.setPeriodic(tickMillis, t -> tick());
    // a job's own plan may allow longer waits than the defaults: the settings bound the defaults only
    staleTimer = vertx.setPeriodic(60_000, t -> store.requeueStale(settings.staleInstall())
        .onSuccess(n -> {
          if (n > 0) {
            LOG.warning(Kv.event("deploy.requeued_stale", "hosts", n));
          }
        }));
  }

  public void stop() {
    if (context != null) {
      context.runOnContext(v -> cancelTimers());
    }
  }

  private void cancelTimers() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (staleTimer >= 0) {
      vertx.cancelTimer(staleTimer);
    }
  }

  /** Claims at once (hosts were just scheduled here, or a slot came free) instead of at the next poll. */
  public void kick() {
    if (context != null) {
      context.runOnContext(v -> tick());
    }
  }

  private void tick() {
    int free = settings.maxConcurrent() - inFlight;
    if (claiming || free <= 0) {
      return;
    }
    claiming = true;
    store.claim(free).onComplete(ar -> {
      claiming = false;
      if (ar.failed()) {
        LOG.warning(Kv.event("deploy.claim_failed", "error", ar.cause().getMessage()));
        return;
      }
      for (DeploymentStore.Claimed c : ar.result()) {
        inFlight++;
        install(c).onComplete(x -> {
          inFlight--;
          tick();
        });
      }
    });
  }

  private Future<Void> install(DeploymentStore.Claimed c) {
    // whatever goes wrong, the host ends in a state and the in-flight count is given back
    return Future.<InstallPlan>future(p -> p.complete(InstallPlan.fromJson(c.plan())))
        .compose(plan -> install(c, plan))
        .recover(e -> failed(c, DeployFailure.of(DeployError.UNKNOWN, "install could not run: " + e)));
  }

  private Future<Void> install(DeploymentStore.Claimed c, InstallPlan plan) {
    Principal who = new Principal("deploy", "deployment " + c.jobId(), Role.OPERATOR);
    Instant tokenExpiry = Instant.now().plus(plan.timeouts().agentConnect()).plus(Duration.ofHours(1));
    return Future.<SshCredentials>future(p -> p.complete(vault.open(c.sealedCredentials(), c.jobId().toString())))
        .compose(creds -> enrollment.tokens().create(tokenExpiry, 1, c.tags(), List.<String>of(), who, "deploy")
            .compose(token -> {
              UUID tokenId = UUID.fromString(token.getString("id"));
              RemoteInstaller.Request req = new RemoteInstaller.Request(c.host(), creds, plan, settings.agentJar(),
                  token.getString("token"));
              return store.tokenIssued(c.jobId(), c.nameKey(), tokenId)
                  .compose(v -> worker.executeBlocking(() -> {
                    installer.install(req, step -> store.step(c.jobId(), c.nameKey(), step));
                    return null;
                  }, false))
                  .compose(v -> store.step(c.jobId(), c.nameKey(), InstallStep.WAIT_FOR_AGENT))
                  .compose(v -> waitForAgent(c, tokenId, Instant.now().plus(plan.timeouts().agentConnect()), 0));
            }))
        .compose(agentId -> {
          metrics.installed();
          LOG.info(Kv.event("deploy.installed", "deployment", c.jobId(), "host", c.host().name(), "agentId", agentId));
          return store.succeeded(c.jobId(), c.nameKey(), agentId);
        })
        .recover(e -> failed(c, e instanceof DeployStepException d ? d.failure()
            : ErrorClassifier.classify(InstallStep.WAIT_FOR_AGENT, e)));
  }

  private Future<Void> failed(DeploymentStore.Claimed c, DeployFailure f) {
    boolean again = f.type().retryable() && c.attempt() < settings.attempts();
    LOG.info(Kv.event("deploy.failed", "deployment", c.jobId(), "host", c.host().name(), "type", f.type().wire(),
        "attempt", c.attempt(), "retry", again, "detail", f.detail()));
    if (again) {
      metrics.retried();
      return store.failed(c.jobId(), c.nameKey(), f, settings.backoff(c.attempt()));
    }
    metrics.failed(f.type());
    return store.failed(c.jobId(), c.nameKey(), f, null);
  }

  /** Polls (bounded by the deadline) for the agent that enrolled with the host's one-use token. */
  private Future<UUID> waitForAgent(DeploymentStore.Claimed c, UUID tokenId, Instant deadline, int polls) {
    // touch the host now and then: a long wait must not look like an install a dead gateway left behind
    Future<Void> heartbeat = polls % 30 == 29 ? store.step(c.jobId(), c.nameKey(), InstallStep.WAIT_FOR_AGENT)
        : Future.succeededFuture();
    return heartbeat.compose(v -> store.agentOfToken(tokenId)).compose(agent -> {
      if (agent != null) {
        return Future.succeededFuture(agent);
      }
      if (Instant.now().isAfter(deadline)) {
        return Future.failedFuture(DeployStepException.of(DeployError.AGENT_NOT_CONNECTED,
            "installed and started, but no agent enrolled with this host's token and connected by " + deadline));
      }
      Promise<UUID> later = Promise.promise();
      vertx.setTimer(POLL.toMillis(), t -> waitForAgent(c, tokenId, deadline, polls + 1).onComplete(later));
      return later.future();
    });
  }
}
