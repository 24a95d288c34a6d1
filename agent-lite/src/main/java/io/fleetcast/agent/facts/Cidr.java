package io.fleetcast.agent.facts;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR form, e.g. {@code 10.20.0.0/16}. */
public record Cidr(InetAddress network, int prefixLength) {

  public Cidr {
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0-" + bits);
    }
    network = mask(network, prefixLength);
  }

  /** Parses {@code address/prefix}; a bare address is a host route (/32 or /128). */
  public static Cidr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("empty CIDR");
    }
    String s = text.trim();
    int slash = s.indexOf('/');
    InetAddress addr = IpLiteral.parse(slash < 0 ? s : s.substring(0, slash));
    int bits = addr.getAddress().length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR: " + s);
    }
    return new Cidr(addr, prefix);
  }

  /** The network that {@code address} with {@code prefixLength} lies in (what an interface address gives). */
  public static Cidr of(InetAddress address, int prefixLength) {
    return new Cidr(address, prefixLength);
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length) {
      return false;
    }
    return java.util.Arrays.equals(mask(a, prefixLength), n);
  }

  public boolean contains(String ipLiteral) {
    try {
      return contains(IpLiteral.parse(ipLiteral));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The directed broadcast address (IPv4 only); null for IPv6, which has no broadcast. */
  public InetAddress broadcast() {
    byte[] n = network.getAddress();
    if (n.length != 4) {
      return null;
    }
    for (int i = 0; i < 32; i++) {
      if (i >= prefixLength) {
        n[i / 8] |= (byte) (0x80 >>> (i % 8));
      }
    }
    try {
      return InetAddress.getByAddress(n);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }

  private static InetAddress mask(InetAddress a, int prefix) {
    try {
      return InetAddress.getByAddress(mask(a.getAddress(), prefix));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] mask(byte[] b, int prefix) {
    byte[] out = b.clone();
    for (int i = 0; i < out.length * 8; i++) {
      if (i >= prefix) {
        out[i / 8] &= (byte) ~(0x80 >>> (i % 8));
      }
    }
    return out;
  }
}
