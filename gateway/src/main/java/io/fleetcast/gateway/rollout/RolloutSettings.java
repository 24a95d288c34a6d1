package io.fleetcast.gateway.rollout;

import io.fleetcast.common.config.FleetcastConfig;
import java.time.Duration;

/** The {@code rollouts.*} settings and the lifetime of a task release ({@code signing.releaseSeconds}). */
public record RolloutSettings(long tickMillis, int redispatchSeconds, int leaseSeconds, int dispatchChunk,
    Duration defaultExpiry, Duration releaseTtl) {

  public static RolloutSettings from(FleetcastConfig c) {
    return new RolloutSettings(c.integer("rollouts.tickMillis"), c.integer("rollouts.redispatchSeconds"),
        c.integer("rollouts.leaseSeconds"), c.integer("rollouts.dispatchChunk"),
        Duration.ofHours(c.integer("rollouts.defaultExpiryHours")), Duration.ofSeconds(c.integer("signing.releaseSeconds")));
  }

  /** The engine's options as the gateway {@code gatewayId} runs it. */
  public RolloutEngine.Options engineOptions(String gatewayId) {
    return new RolloutEngine.Options(gatewayId, tickMillis, leaseSeconds, redispatchSeconds, dispatchChunk, releaseTtl);
  }
}
