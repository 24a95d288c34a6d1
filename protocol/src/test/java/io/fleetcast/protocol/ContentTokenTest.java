package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentTokenTest {
  static final String SHA = "a".repeat(64);
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  static KeyPair key() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  /** A token signed by a fleet key, for this content and not expired, passes. */
  @Test
  void goodTokenPasses() throws Exception {
    KeyPair k = key();
    String t = ContentToken.sign(SHA, NOW.plusSeconds(60), k.getPrivate()).encode();
    assertThat(ContentToken.check(t, SHA, NOW, List.of(k.getPublic()))).isEmpty();
  }

  /** Missing, malformed, expired, other-content and foreign-key tokens each get their own refusal. */
  @Test
  void badTokensAreRefusedWithTheReason() throws Exception {
    KeyPair k = key();
    List<java.security.PublicKey> keys = List.of(k.getPublic());
    assertThat(ContentToken.check(null, SHA, NOW, keys)).contains(ContentToken.Problem.MISSING);
    assertThat(ContentToken.check("garbage", SHA, NOW, keys)).contains(ContentToken.Problem.MALFORMED);
    String expired = ContentToken.sign(SHA, NOW, k.getPrivate()).encode();
    assertThat(ContentToken.check(expired, SHA, NOW, keys)).contains(ContentToken.Problem.EXPIRED);
    String other = ContentToken.sign("b".repeat(64), NOW.plusSeconds(60), k.getPrivate()).encode();
    assertThat(ContentToken.check(other, SHA, NOW, keys)).contains(ContentToken.Problem.WRONG_CONTENT);
    String foreign = ContentToken.sign(SHA, NOW.plusSeconds(60), key().getPrivate()).encode();
    assertThat(ContentToken.check(foreign, SHA, NOW, keys)).contains(ContentToken.Problem.BAD_SIGNATURE);
  }

  /** Moving the expiry in an encoded token breaks its signature. */
  @Test
  void extendedExpiryIsDetected() throws Exception {
    KeyPair k = key();
    ContentToken t = ContentToken.sign(SHA, NOW.plusSeconds(60), k.getPrivate());
    String tampered = SHA + "." + (NOW.getEpochSecond() + 99_999) + "." + t.signature();
    assertThat(ContentToken.check(tampered, SHA, NOW, List.of(k.getPublic())))
        .isEqualTo(Optional.of(ContentToken.Problem.BAD_SIGNATURE));
  }
}
