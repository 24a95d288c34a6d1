package io.fleetcast.common.wake;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR form with its host bits cleared, e.g. {@code 10.1.2.0/24}.
 * The canonical text (dotted quad, or RFC 5952 for IPv6) is what the relay index is keyed on,
 * so that {@code 10.1.2.7/24} reported by one agent and {@code 10.1.2.0/24} by another are the
 * same subnet. Parsing never resolves names: only address literals are accepted.
 */
public final class Subnet {
  private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private final byte[] network;
  private final int prefix;
  private final String text;

  private Subnet(byte[] address, int prefix) {
    this.network = mask(address, prefix);
    this.prefix = prefix;
    this.text = format(network) + "/" + prefix;
  }

  /** @throws IllegalArgumentException saying what is wrong with {@code cidr} */
  public static Subnet parse(String cidr) {
    if (cidr == null || cidr.isBlank()) {
      throw new IllegalArgumentException("subnet is empty");
    }
    String s = cidr.trim();
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a subnet: '" + shorten(s) + "' (expected CIDR such as 10.1.2.0/24)");
    }
    byte[] address = address(s.substring(0, slash));
    if (address == null) {
      throw new IllegalArgumentException("not a subnet: '" + shorten(s) + "' (the address is not an IP literal)");
    }
    int bits = address.length * 8;
    int prefix;
    try {
      prefix = Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("not a subnet: '" + shorten(s) + "' (prefix length must be 0-" + bits + ")");
    }
    return new Subnet(address, prefix);
  }

  /** The canonical text of {@code cidr}, or null when it is not a subnet. */
  public static String canonicalOrNull(String cidr) {
    try {
      return parse(cidr).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Parses an IPv4 or IPv6 literal (never a name); null when {@code text} is not one. */
  public static byte[] address(String text) {
    if (text == null) {
      return null;
    }
    String s = text.trim();
    if (V4.matcher(s).matches()) {
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
    if (s.indexOf(':') >= 0 && V6.matcher(s).matches()) {
      try {
        // only hex digits, colons and dots: the JDK parses this literally and never resolves it
        byte[] b = InetAddress.getByName(s).getAddress();
        return b.length == 16 ? b : null;
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return null;
  }

  /** Canonical text of an IP literal, or null when {@code text} is not one. */
  public static String canonicalAddressOrNull(String text) {
    byte[] b = address(text);
    return b == null ? null : format(b);
  }

  public int prefixLength() {
    return prefix;
  }

  public boolean isIpv4() {
    return network.length == 4;
  }

  /** Whether {@code other} lies inside this network (same family, at least as long a prefix). */
  public boolean contains(Subnet other) {
    return other.network.length == network.length && other.prefix >= prefix
        && Arrays.equals(mask(other.network, prefix), network);
  }

  /** The directed broadcast address (IPv4 only: all host bits set); null for IPv6, which has no broadcast. */
  public String broadcast() {
    if (!isIpv4()) {
      return null;
    }
    byte[] b = network.clone();
    for (int i = prefix; i < 32; i++) {
      b[i / 8] |= (byte) (0x80 >>> (i % 8));
    }
    return format(b);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subnet s && s.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  private static byte[] mask(byte[] b, int prefix) {
    byte[] out = b.clone();
    for (int i = prefix; i < out.length * 8; i++) {
      out[i / 8] &= (byte) ~(0x80 >>> (i % 8));
    }
    return out;
  }

  /** Dotted quad, or RFC 5952 IPv6 text (lower case, longest run of two or more zero groups as {@code ::}). */
  static String format(byte[] b) {
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

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
