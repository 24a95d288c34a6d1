package io.fleetcast.protocol.wake;

/**
 * The Wake-on-LAN magic packet: 6 bytes of 0xFF, then the target MAC 16 times (102 bytes),
 * optionally followed by a 4- or 6-byte SecureOn password (106 or 108 bytes).
 */
public final class MagicPacket {
  public static final int LENGTH = 102;
  /** The usual Wake-on-LAN UDP port (7 is also common). */
  public static final int DEFAULT_PORT = 9;

  private MagicPacket() {}

  public static byte[] of(MacAddress mac) {
    return of(mac, null);
  }

  /** @param secureOn null or empty for none; otherwise exactly 4 or 6 bytes */
  public static byte[] of(MacAddress mac, byte[] secureOn) {
    int extra = secureOn == null ? 0 : secureOn.length;
    if (extra != 0 && extra != 4 && extra != 6) {
      throw new IllegalArgumentException("SecureOn password must be 4 or 6 bytes, got " + extra);
    }
    byte[] macBytes = mac.bytes();
    byte[] packet = new byte[LENGTH + extra];
    for (int i = 0; i < 6; i++) {
      packet[i] = (byte) 0xFF;
    }
    for (int rep = 0; rep < 16; rep++) {
      System.arraycopy(macBytes, 0, packet, 6 + rep * 6, 6);
    }
    if (extra > 0) {
      System.arraycopy(secureOn, 0, packet, LENGTH, extra);
    }
    return packet;
  }

  /**
   * Parses a SecureOn password written like a MAC (6 bytes, any {@link MacAddress} notation)
   * or as 4 bytes in dotted-decimal IPv4 form ({@code 192.168.1.1}) or 8 hex digits.
   */
  public static byte[] secureOn(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String s = text.trim();
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      String[] parts = s.split("\\.");
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        if (v > 255) {
          throw new IllegalArgumentException("SecureOn password: " + v + " is not a byte");
        }
        b[i] = (byte) v;
      }
      return b;
    }
    if (s.matches("[0-9a-fA-F]{8}")) {
      return java.util.HexFormat.of().parseHex(s);
    }
    try {
      return MacAddress.parse(s).bytes();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SecureOn password must be 4 bytes (a.b.c.d or 8 hex digits) or 6 bytes "
          + "(MAC notation)", e);
    }
  }
}
