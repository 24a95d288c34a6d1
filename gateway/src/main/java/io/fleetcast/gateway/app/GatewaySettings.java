package io.fleetcast.gateway.app;

import io.fleetcast.common.cluster.ClusterSettings;
import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.gateway.http.ApiLimits;
import io.fleetcast.gateway.console.ConsoleSettings;
import io.fleetcast.gateway.deploy.DeploySettings;
import io.fleetcast.gateway.rollout.RolloutSettings;
import io.fleetcast.gateway.rollout.SigningSettings;
import io.fleetcast.gateway.software.PackageSettings;
import io.fleetcast.gateway.wake.WakeSettings;
import java.nio.file.Path;

/**
 * What a gateway reads from the catalogue, grouped by the part that uses it. Built once at start-up
 * off the event loop (the wake settings may read a routes file).
 *
 * @param adminToken the configured admin token, or null (generated on first start)
 * @param caCertFile {@code tls.caCert}, or null
 * @param deploy its gateway URL is this gateway's advertised one unless configured ({@link DeploySettings#withApiUrl})
 */
public record GatewaySettings(
    Path dataDir,
    String adminToken,
    Path caCertFile,
    ApiSettings api,
    ApiLimits apiLimits,
    RolloutSettings rollouts,
    SigningSettings signing,
    ClusterSettings cluster,
    ConsoleSettings console,
    PackageSettings packages,
    WakeSettings wake,
    DeploySettings deploy) {

  public static GatewaySettings from(FleetcastConfig c) {
    return new GatewaySettings(Path.of(c.string("dataDir")), c.isSet("adminToken") ? c.string("adminToken") : null,
        c.isSet("tls.caCert") ? Path.of(c.string("tls.caCert")) : null, ApiSettings.from(c), ApiLimits.from(c),
        RolloutSettings.from(c), SigningSettings.from(c), ClusterSettings.from(c), ConsoleSettings.from(c),
        PackageSettings.from(c), WakeSettings.from(c), DeploySettings.from(c, null));
  }
}
