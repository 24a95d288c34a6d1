package io.fleetcast.agent.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransportPolicyTest {

  /** Outside dev mode only TLS URLs are allowed; dev mode also allows plain ws/http. */
  @Test
  void plainUrlsOnlyInDevMode() {
    TransportPolicy prod = new TransportPolicy(false, null, true);
    TransportPolicy dev = new TransportPolicy(true, null, true);

    assertThat(prod.allowed("wss://node:8081/agent/v1", true)).isTrue();
    assertThat(prod.allowed("https://gw:8080", false)).isTrue();
    assertThatThrownBy(() -> prod.check("ws://node:8081/agent/v1", true)).hasMessageContaining("--dev");
    assertThatThrownBy(() -> prod.check("http://gw:8080", false)).hasMessageContaining("--dev");
    assertThat(dev.allowed("ws://127.0.0.1:8081/agent/v1", true)).isTrue();
    assertThat(dev.allowed("http://127.0.0.1:8080", false)).isTrue();
    assertThat(dev.allowed("ftp://x/y", false)).isFalse();
    assertThat(dev.allowed("https://gw", true)).isFalse();
  }

  /** Fingerprints are accepted with colons and in either case; anything else is refused. */
  @Test
  void pinFormats() {
    String hex = "AB:".repeat(31) + "AB";
    assertThat(new CertificatePin(hex).hex()).isEqualTo("ab".repeat(32));
    assertThatThrownBy(() -> new CertificatePin("abcd")).hasMessageContaining("64 hex digits");
  }
}
