package io.fleetcast.protocol.net;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR form with its host bits cleared, e.g. {@code 10.1.2.0/24}.
 * The canonical text (dotted quad, or RFC 5952 for IPv6) is what the relay index is keyed on,
 * so that {@code 10.1.2.7/24} reported by one agent and {@code 10.1.2.0/24} by another are the
 * same subnet. Parsing never resolves names: only address literals are accepted.
 */
public final class Subnet {
  private static final Pattern STRICT_PREFIX = Pattern.compile("^(0|[1-9][0-9]{0,2})$");

  private final byte[] network;
  private final int prefix;
  private final String text;

  private Subnet(byte[] address, int prefix) {
    this.network = mask(address, prefix);
    this.prefix = prefix;
    this.text = IpLiteral.format(network) + "/" + prefix;
  }

  /** @throws IllegalArgumentException saying what is wrong with {@code cidr} */
  public static Subnet parse(String cidr) {
    if (cidr == null || cidr.isBlank()) {
      throw new IllegalArgumentException("subnet is empty");
    }
    String s = cidr.trim();
    if (s.indexOf('/') < 0) {
      throw new IllegalArgumentException("not a subnet: '" + IpLiteral.shorten(s) + "' (expected CIDR such as 10.1.2.0/24)");
    }
    return parseOrHost(s);
  }

  /** Like {@link #parse}, but a bare address is its host route ({@code /32} or {@code /128}). */
  public static Subnet parseOrHost(String cidr) {
    if (cidr == null || cidr.isBlank()) {
      throw new IllegalArgumentException("subnet is empty");
    }
    String s = cidr.trim();
    int slash = s.indexOf('/');
    byte[] address = IpLiteral.bytesOrNull(slash < 0 ? s : s.substring(0, slash));
    if (address == null) {
      throw new IllegalArgumentException("not a subnet: '" + IpLiteral.shorten(s) + "' (the address is not an IP literal)");
    }
    int bits = address.length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("not a subnet: '" + IpLiteral.shorten(s) + "' (prefix length must be 0-" + bits + ")");
    }
    return new Subnet(address, prefix);
  }

  /** The network that {@code address} with {@code prefixLength} lies in (what an interface address gives). */
  public static Subnet of(InetAddress address, int prefixLength) {
    byte[] b = address.getAddress();
    if (prefixLength < 0 || prefixLength > b.length * 8) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0-" + b.length * 8);
    }
    return new Subnet(b, prefixLength);
  }

  /** The canonical text of {@code cidr}, or null when it is not a subnet. */
  public static String canonicalOrNull(String cidr) {
    try {
      return parse(cidr).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Whether {@code s} is, exactly as written, a block Postgres' {@code cidr}/{@code inet} casts accept
   * (host bits allowed, see {@link #hasHostBits}): a {@link IpLiteral#isPostgresInet strict address},
   * a slash and a plain decimal prefix within the family's length.
   */
  public static boolean isPostgresCidr(String s) {
    if (s == null) {
      return false;
    }
    int slash = s.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String ip = s.substring(0, slash);
    int max = ip.contains(":") ? 128 : 32;
    if (!STRICT_PREFIX.matcher(s.substring(slash + 1)).matches()) {
      return false; // Integer.parseInt would take "+8", "08" and non-ASCII digits, which Postgres refuses
    }
    int len = Integer.parseInt(s.substring(slash + 1));
    return len <= max && IpLiteral.isPostgresInet(ip);
  }

  /**
   * Whether a block that {@link #isPostgresCidr} accepts has address bits set right of its prefix
   * ({@code 10.20.0.1/16}): Postgres' {@code cidr} type refuses those.
   */
  public static boolean hasHostBits(String cidr) {
    int slash = cidr.indexOf('/');
    byte[] a = IpLiteral.bytesOrNull(cidr.substring(0, slash));
    if (a == null) {
      return false;
    }
    int prefix = Integer.parseInt(cidr.substring(slash + 1));
    return !Arrays.equals(mask(a, prefix), a);
  }

  public int prefixLength() {
    return prefix;
  }

  public boolean isIpv4() {
    return network.length == 4;
  }

  /** The network address (host bits cleared). */
  public InetAddress network() {
    return IpLiteral.address(network);
  }

  /** Whether {@code other} lies inside this network (same family, at least as long a prefix). */
  public boolean contains(Subnet other) {
    return other.network.length == network.length && other.prefix >= prefix
        && Arrays.equals(mask(other.network, prefix), network);
  }

  /** Whether the address lies inside this network (an IPv4 address is never inside an IPv6 network). */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    return a.length == network.length && Arrays.equals(mask(a, prefix), network);
  }

  /** Whether the IP literal lies inside this network; false for anything that is not a literal. */
  public boolean contains(String ipLiteral) {
    byte[] a = IpLiteral.bytesOrNull(ipLiteral);
    return a != null && a.length == network.length && Arrays.equals(mask(a, prefix), network);
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
    return IpLiteral.format(b);
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
}
