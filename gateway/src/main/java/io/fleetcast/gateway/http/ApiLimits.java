package io.fleetcast.gateway.http;

import io.fleetcast.common.config.FleetcastConfig;

/** The bounds of the API port, from the {@code api.*} settings. */
public record ApiLimits(int maxBodyBytes, int maxConnections, int requestTimeoutSeconds, int keepAliveSeconds,
    int authFailuresPerMinute, int authFailureBurst) {

  public static ApiLimits from(FleetcastConfig config) {
    return new ApiLimits(config.integer("api.maxBodyBytes"), config.integer("api.maxConnections"),
        config.integer("api.requestTimeoutSeconds"), config.integer("api.keepAliveSeconds"),
        config.integer("api.authFailuresPerMinute"), config.integer("api.authFailureBurst"));
  }

  public AuthThrottle throttle() {
    return new AuthThrottle(authFailuresPerMinute, authFailureBurst);
  }
}
