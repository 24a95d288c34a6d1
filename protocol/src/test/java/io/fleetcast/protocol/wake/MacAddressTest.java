package io.fleetcast.protocol.wake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {

  /** Every accepted notation, in either case, parses to the same six bytes. */
  @ParameterizedTest
  @ValueSource(strings = {"aa:bb:cc:dd:ee:0f", "AA-BB-CC-DD-EE-0F", "aabb.ccdd.ee0f", "AABBCCDDEE0F", " aa:bb:cc:dd:ee:0f "})
  void parsesUsualNotations(String text) {
    MacAddress mac = MacAddress.parse(text);

    assertThat(mac.bytes()).containsExactly(0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x0f);
    assertThat(mac).hasToString("aa:bb:cc:dd:ee:0f");
  }

  /** Malformed input is refused with a message that quotes it. */
  @ParameterizedTest
  @ValueSource(strings = {"aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:gg", "aa:bb-cc:dd:ee:ff", "aabb.ccdd.eeff.0011",
      "aabbccddeeff00", "a:bb:cc:dd:ee:fff", "aab.bccd.deeff", "zzzzzzzzzzzz", "aa::bb:cc:dd:ee:f"})
  void rejectsBadInput(String text) {
    assertThatThrownBy(() -> MacAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a MAC address");
  }

  /** Null and blank input get their own clear message. */
  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void rejectsEmpty(String text) {
    assertThatThrownBy(() -> MacAddress.parse(text)).hasMessageContaining("empty");
    assertThatThrownBy(() -> MacAddress.parse(null)).hasMessageContaining("empty");
  }

  /** Equality is by value, so parsed notations can be de-duplicated. */
  @ParameterizedTest
  @ValueSource(strings = {"01-02-03-04-05-06"})
  void equalsByValue(String text) {
    assertThat(MacAddress.parse(text)).isEqualTo(MacAddress.parse("0102.0304.0506"))
        .hasSameHashCodeAs(MacAddress.of(new byte[] {1, 2, 3, 4, 5, 6}));
  }
}
