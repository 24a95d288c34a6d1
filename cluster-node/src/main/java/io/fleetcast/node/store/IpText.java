package io.fleetcast.node.store;

import java.util.regex.Pattern;

/**
 * Strict textual checks for IP addresses and CIDR blocks, without name resolution (which
 * {@code InetAddress.getByName} would attempt), so facts never trigger DNS lookups.
 */
public final class IpText {
  private static final Pattern V4 = Pattern.compile(
      "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern V6 = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");
  private static final Pattern HEX = Pattern.compile("^[0-9A-Fa-f]*$");
  private static final Pattern PREFIX = Pattern.compile("^(0|[1-9][0-9]{0,2})$");

  private IpText() {}

  public static boolean isIp(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return false;
    }
    if (V4.matcher(s).matches()) {
      return true;
    }
    if (!s.contains(":") || !V6.matcher(s).matches()) {
      return false;
    }
    // what Postgres' inet accepts: groups of at most 4 hex digits, a dotted quad only at the end;
    // the first character is then a hex digit or ':', so the JDK parses a literal and never resolves
    String[] groups = s.split(":", -1);
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (!(g.length() <= 4 && HEX.matcher(g).matches()) && !(i == groups.length - 1 && V4.matcher(g).matches())) {
        return false;
      }
    }
    try {
      // with only hex digits, colons and dots this parses literally and never resolves
      java.net.InetAddress.getByName(s);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  public static boolean isCidr(String s) {
    if (s == null) {
      return false;
    }
    int slash = s.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String ip = s.substring(0, slash);
    int max = ip.contains(":") ? 128 : 32;
    if (!PREFIX.matcher(s.substring(slash + 1)).matches()) {
      return false; // Integer.parseInt would take "+8", "08" and non-ASCII digits, which Postgres refuses (IPv6)
    }
    try {
      int len = Integer.parseInt(s.substring(slash + 1));
      return len >= 0 && len <= max && isIp(ip);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Whether a block that {@link #isCidr} accepts has address bits set right of its prefix
   * ({@code 10.20.0.1/16}): Postgres' {@code cidr} type refuses those.
   */
  public static boolean hasHostBits(String cidr) {
    int slash = cidr.indexOf('/');
    String ip = cidr.substring(0, slash);
    byte[] a;
    try {
      a = java.net.InetAddress.getByName(ip).getAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
    if (a.length == 4 && ip.contains(":")) { // IPv4-mapped IPv6, which the JDK returns as IPv4
      byte[] v6 = new byte[16];
      v6[10] = (byte) 0xff;
      v6[11] = (byte) 0xff;
      System.arraycopy(a, 0, v6, 12, 4);
      a = v6;
    }
    int prefix = Integer.parseInt(cidr.substring(slash + 1));
    for (int bit = prefix; bit < a.length * 8; bit++) {
      if ((a[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return true;
      }
    }
    return false;
  }
}
