package io.fleetcast.gateway.software;

import io.fleetcast.common.config.FleetcastConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code packages.*} settings of the gateway's catalog and origin store.
 *
 * @param originMaxConcurrent transfers the origin serves at once ({@code depot.maxConcurrent}, as any depot)
 */
public record PackageSettings(Path dir, long maxBytes, String originName, Duration peerTokenTtl, int originMaxConcurrent) {

  public static PackageSettings from(FleetcastConfig c) {
    Path dir = c.isSet("packages.dir") ? Path.of(c.string("packages.dir")) : Path.of(c.string("dataDir")).resolve("packages");
    return new PackageSettings(dir, Long.parseLong(c.string("packages.maxBytes")), c.string("packages.originName"),
        Duration.ofMinutes(c.integer("packages.peerTokenMinutes")), c.integer("depot.maxConcurrent"));
  }
}
