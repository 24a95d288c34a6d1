package io.fleetcast.gateway.deploy;

import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.deploy.api.DeploymentsApi;
import io.fleetcast.gateway.enrollment.Enrollment;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * Agent deployment in a gateway, wired in one place: discovery, the credential vault, the SSH
 * installer, the runner and the API. {@code Gateway} builds one, mounts {@link #mount} and
 * starts and stops it with itself.
 */
public final class DeployModule {
  private final Vertx vertx;
  private final Pool pool;
  private final AuditLog audit;
  private final Enrollment enrollment;
  private final DeploySettings settings;
  private final DeployMetrics metrics;
  private final WorkerExecutor worker;
  private DeploymentsApi api;
  private DeploymentRunner runner;
  private MinaRemoteInstaller installer;
  private long gaugeTimer = -1;

  public DeployModule(Vertx vertx, Pool pool, AuditLog audit, Enrollment enrollment, MeterRegistry registry,
      DeploySettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.audit = audit;
    this.enrollment = enrollment;
    this.settings = settings;
    this.metrics = new DeployMetrics(registry);
    // installs block on SSH for minutes: their own bounded pool, never the event loop or the shared workers
    this.worker = vertx.createSharedWorkerExecutor("fleetcast-deploy", Math.max(1, settings.maxConcurrent()), 30,
        TimeUnit.MINUTES);
  }

  /** Loads the credential key and the pinned host keys (blocking, on the worker), then builds the parts. */
  public Future<Void> start() {
    return worker.executeBlocking(() -> {
      CredentialVault vault = CredentialVault.loadOrCreate(settings.dataDir().resolve(CredentialVault.KEY_FILE));
      installer = new MinaRemoteInstaller(new PinnedHostKeys(settings.dataDir().resolve(PinnedHostKeys.FILE)));
      return vault;
    }).map(vault -> {
      DeploymentStore store = new DeploymentStore(pool);
      HostDirectory directory = new UnboundIdDirectory((int) settings.ldapTimeout().toMillis());
      DeployParts parts = new DeployParts(store, vault, worker, settings, metrics);
      runner = new DeploymentRunner(vertx, parts, enrollment, installer);
      api = new DeploymentsApi(new DeploymentService(parts, audit, directory, runner::kick));
      // scheduling on this gateway kicks the runner; the poll finds hosts scheduled by other gateways and retries due
      runner.start(5000);
      gaugeTimer = vertx.setPeriodic(10_000, t -> store.countByState().onSuccess(metrics::hostsByState));
      return null;
    });
  }

  /** The {@code /api/v1/deployments} resource, built by {@link #start} (mounted after it). */
  public DeploymentsApi api() {
    return api;
  }

  public Future<Void> stop() {
    if (runner != null) {
      runner.stop();
    }
    if (gaugeTimer >= 0) {
      vertx.cancelTimer(gaugeTimer);
    }
    return worker.executeBlocking(() -> {
      if (installer != null) {
        installer.close();
      }
      return null;
    }).eventually(worker::close).mapEmpty();
  }
}
