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
    try {
      int len = Integer.parseInt(s.substring(slash + 1));
      return len >= 0 && len <= max && isIp(ip);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
