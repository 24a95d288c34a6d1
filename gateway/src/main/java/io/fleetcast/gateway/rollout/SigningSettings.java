package io.fleetcast.gateway.rollout;

import io.fleetcast.common.config.FleetcastConfig;
import java.nio.file.Path;

/**
 * The {@code signing.*} key files.
 *
 * @param generate whether a missing key file may be generated (only the default one in the data directory)
 * @param nextKeyFile the key being rolled in, or null
 */
public record SigningSettings(Path keyFile, boolean generate, Path nextKeyFile) {

  public static SigningSettings from(FleetcastConfig c) {
    boolean configured = c.isSet("signing.keyFile");
    Path key = configured ? Path.of(c.string("signing.keyFile")) : Path.of(c.string("dataDir")).resolve("signing-ed25519.pem");
    return new SigningSettings(key, !configured, c.isSet("signing.nextKeyFile") ? Path.of(c.string("signing.nextKeyFile")) : null);
  }
}
