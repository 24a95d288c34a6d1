package io.fleetcast.protocol.wake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MagicPacketTest {
  private static final MacAddress MAC = MacAddress.parse("01:23:45:67:89:ab");

  /** The packet is 6 x 0xFF followed by the MAC 16 times: 102 bytes. */
  @Test
  void layout() {
    byte[] p = MagicPacket.of(MAC);

    assertThat(p).hasSize(102);
    for (int i = 0; i < 6; i++) {
      assertThat(p[i]).isEqualTo((byte) 0xFF);
    }
    for (int rep = 0; rep < 16; rep++) {
      assertThat(Arrays.copyOfRange(p, 6 + rep * 6, 12 + rep * 6)).containsExactly(MAC.bytes());
    }
  }

  /** A 4- or 6-byte SecureOn password is appended after the 102 bytes. */
  @Test
  void secureOnPassword() {
    byte[] four = MagicPacket.of(MAC, MagicPacket.secureOn("192.168.1.2"));
    byte[] six = MagicPacket.of(MAC, MagicPacket.secureOn("0a:0b:0c:0d:0e:0f"));

    assertThat(four).hasSize(106);
    assertThat(Arrays.copyOfRange(four, 102, 106)).containsExactly(192, 168, 1, 2);
    assertThat(six).hasSize(108);
    assertThat(Arrays.copyOfRange(six, 102, 108)).containsExactly(10, 11, 12, 13, 14, 15);
    assertThat(Arrays.copyOfRange(six, 0, 102)).containsExactly(MagicPacket.of(MAC));
    assertThat(MagicPacket.secureOn("deadbeef")).containsExactly(0xde, 0xad, 0xbe, 0xef);
  }

  /** Passwords of any other length are refused. */
  @Test
  void rejectsBadPasswordLength() {
    assertThatThrownBy(() -> MagicPacket.of(MAC, new byte[5])).hasMessageContaining("4 or 6 bytes");
    assertThatThrownBy(() -> MagicPacket.secureOn("12345")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MagicPacket.secureOn("1.2.3.256")).hasMessageContaining("not a byte");
    assertThat(MagicPacket.secureOn("")).isNull();
  }
}
