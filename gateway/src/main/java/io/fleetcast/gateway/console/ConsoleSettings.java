package io.fleetcast.gateway.console;

import io.fleetcast.common.config.FleetcastConfig;
import java.time.Duration;

/**
 * The console's settings.
 *
 * @param secureCookies the cookie is Secure whenever the API is https, and outside dev mode always
 */
public record ConsoleSettings(Duration sessionIdle, boolean secureCookies) {

  public static ConsoleSettings from(FleetcastConfig c) {
    return new ConsoleSettings(Duration.ofMinutes(c.integer("console.sessionIdleMinutes")),
        c.isSet("api.tlsCert") || !c.bool("dev"));
  }
}
