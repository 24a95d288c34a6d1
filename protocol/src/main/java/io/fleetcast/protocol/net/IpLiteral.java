package io.fleetcast.protocol.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 address literals. Nothing here ever looks a name up ({@code InetAddress.getByName}
 * would, and block): only text made of digits, hex digits, colons and dots reaches the JDK's parser.
 */
public final class IpLiteral {
  private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  private static final Pattern ZONE = Pattern.compile("%[0-9A-Za-z_.\\-]{1,32}$");
  private static final Pattern STRICT_V4 = Pattern.compile(
      "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern HEX = Pattern.compile("^[0-9A-Fa-f]*$");

  private IpLiteral() {}

  /**
   * The address bytes (4 for IPv4, 16 for IPv6, an IPv4-mapped IPv6 literal included) of a literal,
   * surrounding blanks, IPv6 brackets and an IPv6 zone ({@code %eth0}, ignored) allowed; null when
   * {@code text} is not an address literal.
   */
  public static byte[] bytesOrNull(String text) {
    if (text == null) {
      return null;
    }
    String s = text.trim();
    if (V4.matcher(s).matches()) {
      return v4(s);
    }
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    s = ZONE.matcher(s).replaceFirst("");
    if (s.indexOf(':') < 0 || !V6.matcher(s).matches()) {
      return null;
    }
    try {
      // only hex digits, colons and dots: the JDK parses this literally and never resolves it
      byte[] b = InetAddress.getByName(s).getAddress();
      return b.length == 16 ? b : mapped(b);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** @throws IllegalArgumentException when {@code text} is not an IPv4 or IPv6 literal */
  public static byte[] bytes(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty IP address");
    }
    byte[] b = bytesOrNull(text);
    if (b == null) {
      throw new IllegalArgumentException("not an IP address: " + shorten(text.trim()));
    }
    return b;
  }

  /** The literal as an address object (no lookup); IPv4-mapped IPv6 comes back as IPv4, as the JDK does. */
  public static InetAddress parse(String text) {
    return address(bytes(text));
  }

  public static boolean isLiteral(String text) {
    return bytesOrNull(text) != null;
  }

  /** Canonical text of a literal (dotted quad, or RFC 5952), or null when {@code text} is not one. */
  public static String canonicalOrNull(String text) {
    byte[] b = bytesOrNull(text);
    return b == null ? null : format(b);
  }

  /**
   * Whether {@code s} is, exactly as written, an address Postgres' {@code inet} accepts: no blanks,
   * brackets or zones, no leading zeros in a dotted quad, IPv6 groups of at most four hex digits and a
   * dotted quad only at the end. Agent facts pass this check before a whole batch is cast to inet.
   */
  public static boolean isPostgresInet(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return false;
    }
    if (STRICT_V4.matcher(s).matches()) {
      return true;
    }
    if (!s.contains(":") || !V6.matcher(s).matches()) {
      return false;
    }
    String[] groups = s.split(":", -1);
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (!(g.length() <= 4 && HEX.matcher(g).matches()) && !(i == groups.length - 1 && STRICT_V4.matcher(g).matches())) {
        return false;
      }
    }
    return bytesOrNull(s) != null;
  }

  /** Dotted quad, or RFC 5952 IPv6 text (lower case, longest run of two or more zero groups as {@code ::}). */
  public static String format(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }

  static InetAddress address(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only for a wrong length, which callers never pass
    }
  }

  static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static byte[] v4(String s) {
    String[] parts = s.split("\\.");
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      b[i] = (byte) v;
    }
    return b;
  }

  /** The JDK returns {@code ::ffff:a.b.c.d} as IPv4; an IPv6 literal keeps its 16 bytes here. */
  private static byte[] mapped(byte[] v4) {
    byte[] v6 = new byte[16];
    v6[10] = (byte) 0xff;
    v6[11] = (byte) 0xff;
    System.arraycopy(v4, 0, v6, 12, 4);
    return v6;
  }
}
