package io.fleetcast.agent.facts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses IP address literals without ever falling back to a DNS lookup (which would block). */
public final class IpLiteral {
  private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private IpLiteral() {}

  /** @throws IllegalArgumentException when {@code text} is not an IPv4 or IPv6 literal */
  public static InetAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty IP address");
    }
    String s = text.trim();
    try {
      if (V4.matcher(s).matches()) {
        String[] parts = s.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
          int v = Integer.parseInt(parts[i]);
          if (v > 255) {
            throw new IllegalArgumentException("not an IP address: " + s);
          }
          b[i] = (byte) v;
        }
        return InetAddress.getByAddress(b);
      }
      if (s.startsWith("[") && s.endsWith("]")) {
        s = s.substring(1, s.length() - 1);
      }
      if (s.indexOf(':') >= 0 && s.matches("[0-9a-fA-F:.%a-zA-Z_\\-]+")) {
        // the JDK treats any text with ':' as an IPv6 literal and never resolves it
        return InetAddress.getByName(s);
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + s, e);
    }
    throw new IllegalArgumentException("not an IP address: " + s);
  }

  public static boolean isLiteral(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
