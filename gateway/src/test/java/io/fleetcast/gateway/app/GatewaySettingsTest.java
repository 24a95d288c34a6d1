package io.fleetcast.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.config.FleetcastConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

  /** Without configuration every record holds the catalogue's defaults. */
  @Test
  void defaultsComeFromTheCatalogue() {
    GatewaySettings s = GatewaySettings.from(FleetcastConfig.of(Map.of()));
    assertThat(s.api().port()).isEqualTo(8080);
    assertThat(s.api().tls()).isFalse();
    assertThat(s.api().rateLimitPerSecond()).isEqualTo(50);
    assertThat(s.rollouts().tickMillis()).isEqualTo(1000);
    assertThat(s.rollouts().defaultExpiry()).isEqualTo(Duration.ofHours(24));
    assertThat(s.rollouts().releaseTtl()).isEqualTo(Duration.ofSeconds(120));
    assertThat(s.signing().generate()).isTrue();
    assertThat(s.signing().keyFile()).isEqualTo(Path.of("./fleetcast-data").resolve("signing-ed25519.pem"));
    assertThat(s.cluster().sendTimeoutMillis()).isEqualTo(8000);
    assertThat(s.console().sessionIdle()).isEqualTo(Duration.ofMinutes(30));
    assertThat(s.console().secureCookies()).isTrue();
    assertThat(s.packages().dir()).isEqualTo(Path.of("./fleetcast-data").resolve("packages"));
    assertThat(s.adminToken()).isNull();
    assertThat(s.caCertFile()).isNull();
  }

  /** Configured values reach the records, and the advertised URL follows publicUrl, else the bound port. */
  @Test
  void configuredValuesAndAdvertisedUrl() {
    GatewaySettings s = GatewaySettings.from(FleetcastConfig.of(Map.of("api.host", "0.0.0.0", "cluster.host", "10.0.0.5",
        "rollouts.dispatchChunk", 10, "signing.keyFile", "/keys/k.pem", "dev", true)));
    assertThat(s.api().advertisedUrl(9000)).isEqualTo("http://10.0.0.5:9000");
    assertThat(s.rollouts().engineOptions("gw-1").chunk()).isEqualTo(10);
    assertThat(s.signing().generate()).isFalse();
    assertThat(s.console().secureCookies()).isFalse();
    assertThat(GatewaySettings.from(FleetcastConfig.of(Map.of("api.publicUrl", "https://fc.example")))
        .api().advertisedUrl(1)).isEqualTo("https://fc.example");
    assertThat(s.deploy().withApiUrl(() -> "http://api").gatewayUrl().get()).isEqualTo("http://api");
  }
}
