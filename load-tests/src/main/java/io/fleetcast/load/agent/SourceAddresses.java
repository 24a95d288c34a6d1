package io.fleetcast.load.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Local source addresses for client sockets, spread over a range of 127.0.0.0/8. One source
 * address has ~28,000 ephemeral ports; binding each socket to one of many loopback
 * addresses keeps tens of thousands of sockets per destination far from that limit.
 */
public final class SourceAddresses {
  private final InetSocketAddress[] addresses;

  private SourceAddresses(InetSocketAddress[] addresses) {
    this.addresses = addresses;
  }

  /** {@code 127.0.0.10-127.0.0.250} (last octet range) or a single address; only 127.0.0.0/8 is allowed. */
  public static SourceAddresses parse(String spec) {
    String[] parts = spec.trim().split("-");
    byte[] from = bytes(parts[0]);
    int last = parts.length > 1 ? Byte.toUnsignedInt(bytes(parts[1])[3]) : Byte.toUnsignedInt(from[3]);
    int first = Byte.toUnsignedInt(from[3]);
    if (from[0] != 127 || last < first) {
      throw new IllegalArgumentException("source addresses must be a range inside 127.0.0.0/8: " + spec);
    }
    List<InetSocketAddress> out = new ArrayList<>();
    for (int i = first; i <= last; i++) {
      byte[] b = from.clone();
      b[3] = (byte) i;
      try {
        out.add(new InetSocketAddress(InetAddress.getByAddress(b), 0));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(e);
      }
    }
    return new SourceAddresses(out.toArray(new InetSocketAddress[0]));
  }

  private static byte[] bytes(String ip) {
    String[] o = ip.trim().split("\\.");
    if (o.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + ip);
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) Integer.parseInt(o[i]);
    }
    return b;
  }

  /** The address for the {@code attempt}-th connection of agent {@code index}: a retry moves on to the next one. */
  public InetSocketAddress pick(int index, int attempt) {
    return addresses[Math.floorMod(index + attempt, addresses.length)];
  }

  public int size() {
    return addresses.length;
  }
}
