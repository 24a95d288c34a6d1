package io.fleetcast.protocol.wake;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 48-bit MAC address. Parses the usual notations: {@code aa:bb:cc:dd:ee:ff},
 * {@code aa-bb-cc-dd-ee-ff}, {@code aabb.ccdd.eeff} (Cisco) and {@code aabbccddeeff};
 * hex digits in either case. Canonical form is lower case with colons.
 */
public final class MacAddress {
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private MacAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  public static MacAddress of(byte[] bytes) {
    if (bytes == null || bytes.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 bytes, got " + (bytes == null ? "none" : bytes.length));
    }
    return new MacAddress(bytes.clone());
  }

  /** @throws IllegalArgumentException naming the input and what is wrong with it */
  public static MacAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("MAC address is empty");
    }
    String s = text.trim();
    String digits;
    if (s.length() == 17 && separatedEvery(s, 2, ':')) {
      digits = s.replace(":", "");
    } else if (s.length() == 17 && separatedEvery(s, 2, '-')) {
      digits = s.replace("-", "");
    } else if (s.length() == 14 && separatedEvery(s, 4, '.')) {
      digits = s.replace(".", "");
    } else if (s.length() == 12) {
      digits = s;
    } else {
      throw new IllegalArgumentException("not a MAC address: '" + shorten(s)
          + "' (expected aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff)");
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), 16) < 0) {
        throw new IllegalArgumentException("not a MAC address: '" + shorten(s) + "' ('" + digits.charAt(i)
            + "' is not a hex digit)");
      }
    }
    return new MacAddress(HEX.parseHex(digits));
  }

  /** True when {@code s} has {@code sep} exactly after every {@code group} characters, and nowhere else. */
  private static boolean separatedEvery(String s, int group, char sep) {
    for (int i = 0; i < s.length(); i++) {
      boolean sepPosition = (i + 1) % (group + 1) == 0;
      if (sepPosition != (s.charAt(i) == sep)) {
        return false;
      }
    }
    return true;
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(HEX.toHexDigits(bytes[i]));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
