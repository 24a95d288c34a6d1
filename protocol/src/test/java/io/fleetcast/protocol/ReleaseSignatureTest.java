package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

/** Release signatures bind the version and the jar hash to the signing key. */
class ReleaseSignatureTest {

  /** A signature verifies for its version and hash (hex case-insensitive) and for nothing else. */
  @Test
  void bindsVersionHashAndKey() throws Exception {
    KeyPair k = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String sha = "0f".repeat(32);
    String sig = ReleaseSignature.sign("2.0.0", sha, k.getPrivate());
    assertThat(ReleaseSignature.verify("2.0.0", sha.toUpperCase(), sig, k.getPublic())).isTrue();
    assertThat(ReleaseSignature.verify("2.0.1", sha, sig, k.getPublic())).isFalse();
    assertThat(ReleaseSignature.verify("2.0.0", "1f".repeat(32), sig, k.getPublic())).isFalse();
    assertThat(ReleaseSignature.verify("2.0.0", sha, sig, other.getPublic())).isFalse();
    assertThat(ReleaseSignature.verify("2.0.0", sha, "not base64!", k.getPublic())).isFalse();
    assertThat(ReleaseSignature.verify("2.0.0", sha, null, k.getPublic())).isFalse();
  }
}
