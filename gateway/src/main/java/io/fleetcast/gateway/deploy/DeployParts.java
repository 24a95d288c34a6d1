package io.fleetcast.gateway.deploy;

import io.vertx.core.WorkerExecutor;

/**
 * What the deployment service (which schedules hosts) and the runner (which installs them) share:
 * the jobs' store, the credential vault, the blocking-work pool, the settings and the metrics.
 */
public record DeployParts(DeploymentStore store, CredentialVault vault, WorkerExecutor worker, DeploySettings settings,
    DeployMetrics metrics) {}
