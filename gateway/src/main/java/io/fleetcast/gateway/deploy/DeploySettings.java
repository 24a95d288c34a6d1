package io.fleetcast.gateway.deploy;

import io.fleetcast.common.config.FleetcastConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code deploy.*} settings (catalogue: common Settings): the agent jar to copy, the
 * defaults of every job's install plan, concurrency, attempts and back-off.
 */
public record DeploySettings(Path agentJar, String installDir, java.util.function.Supplier<String> gatewayUrl, int maxConcurrent, int attempts,
    Duration retryBase, InstallPlan.Timeouts timeouts, Duration ldapTimeout, Path dataDir) {

  /** {@code apiUrl} is asked when a job starts: the API port is only known once it listens (null: see {@link #withApiUrl}). */
  public static DeploySettings from(FleetcastConfig c, java.util.function.Supplier<String> apiUrl) {
    String jar = c.string("deploy.agentJar");
    String url = c.string("deploy.gatewayUrl");
    return new DeploySettings(jar == null || jar.isBlank() ? null : Path.of(jar), c.string("deploy.installDir"),
        url == null || url.isBlank() ? apiUrl : () -> url, c.integer("deploy.maxConcurrent"), c.integer("deploy.attempts"),
        Duration.ofSeconds(c.integer("deploy.retryBaseSeconds")),
        new InstallPlan.Timeouts(Duration.ofSeconds(c.integer("deploy.connectTimeoutSeconds")),
            Duration.ofSeconds(c.integer("deploy.commandTimeoutSeconds")),
            Duration.ofSeconds(c.integer("deploy.copyTimeoutSeconds")),
            Duration.ofSeconds(c.integer("deploy.agentConnectTimeoutSeconds"))),
        Duration.ofSeconds(c.integer("deploy.ldapTimeoutSeconds")), Path.of(c.string("dataDir")));
  }

  /** These settings with {@code apiUrl} as the gateway URL unless {@code deploy.gatewayUrl} named one. */
  public DeploySettings withApiUrl(java.util.function.Supplier<String> apiUrl) {
    return gatewayUrl != null ? this : new DeploySettings(agentJar, installDir, apiUrl, maxConcurrent, attempts, retryBase,
        timeouts, ldapTimeout, dataDir);
  }

  /** The plan a job gets when its request names nothing else. */
  public InstallPlan defaultPlan() {
    return new InstallPlan(InstallPlan.TargetOs.LINUX, installDir, null, null, gatewayUrl.get(), List.of(), timeouts);
  }

  /** Longer than any install can stay silent: connect and logon, the commands, the copy, the wait for the agent, twice. */
  public Duration staleInstall() {
    return timeouts.connect().multipliedBy(2).plus(timeouts.command().multipliedBy(6)).plus(timeouts.copy())
        .plus(timeouts.agentConnect()).multipliedBy(2);
  }

  /** Delay before attempt {@code attempt + 1} after a transient failure: base x 2^(attempt-1), at most 10 minutes. */
  public Duration backoff(int attempt) {
    long ms = retryBase.toMillis() << Math.min(10, Math.max(0, attempt - 1));
    return Duration.ofMillis(Math.min(ms, Duration.ofMinutes(10).toMillis()));
  }
}
