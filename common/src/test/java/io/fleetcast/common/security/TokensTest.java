package io.fleetcast.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Random bearer tokens and their stored hash. */
@Timeout(10)
class TokensTest {

  /** The hash is the hex SHA-256 of the token: stable across calls and releases. */
  @Test
  void hashIsStableSha256() {
    // GIVEN a token
    // WHEN it is hashed
    // THEN the hash is the well-known SHA-256, the same every time, and differs for another token
    assertThat(Tokens.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Tokens.hash("fca_x")).isEqualTo(Tokens.hash("fca_x")).isNotEqualTo(Tokens.hash("fca_y"));
    assertThat(Tokens.hash("\u00e9")).hasSize(64).matches("[0-9a-f]+");
  }

  /** Generated tokens carry the prefix and 256 random bits, and do not repeat. */
  @Test
  void generatedTokensAreRandom() {
    // GIVEN many generated tokens
    Set<String> seen = new HashSet<>();

    // WHEN they are compared
    // THEN each has the prefix and 43 base64url characters, and all differ
    for (int i = 0; i < 1000; i++) {
      String t = Tokens.generate("fca_");
      assertThat(t).startsWith("fca_").hasSize(4 + 43).matches("fca_[A-Za-z0-9_-]{43}");
      assertThat(seen.add(t)).isTrue();
    }
    assertThat(Tokens.randomBytes(32)).hasSize(32);
  }
}
