package io.fleetcast.agent.facts;

import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.net.Subnet;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the real machine: hostname, OS, architecture, and from {@link NetworkInterface} the
 * IPs, MACs and the networks they lie in (CIDR), skipping loopback, link-local and down
 * interfaces; logged-on users via {@link LoggedOnUsers}.
 */
public final class SystemFactsProvider implements FactsProvider {
  private static final Logger LOG = Logger.getLogger(SystemFactsProvider.class.getName());

  private final String hostnameOverride;

  public SystemFactsProvider(String hostnameOverride) {
    this.hostnameOverride = hostnameOverride;
  }

  @Override
  public Facts collect() {
    TreeSet<String> ips = new TreeSet<>();
    TreeSet<String> macs = new TreeSet<>();
    TreeSet<String> subnets = new TreeSet<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        byte[] hw = nif.getHardwareAddress();
        if (hw != null && hw.length == 6 && !allZero(hw)) {
          macs.add(formatMac(hw));
        }
        for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
          InetAddress a = ia.getAddress();
          if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
            continue;
          }
          ips.add(hostAddress(a));
          if (ia.getNetworkPrefixLength() > 0) {
            subnets.add(Subnet.of(a, ia.getNetworkPrefixLength()).toString());
          }
        }
      }
    } catch (SocketException e) {
      LOG.log(Level.WARNING, "event=facts.interfaces.failed", e);
    }
    return new Facts(hostname(), osDescription(), System.getProperty("os.arch", ""), new ArrayList<>(ips),
        new ArrayList<>(macs), new ArrayList<>(subnets), List.of(), loggedOnUsers());
  }

  @Override
  public List<String> loggedOnUsers() {
    return LoggedOnUsers.query();
  }

  private String hostname() {
    if (hostnameOverride != null && !hostnameOverride.isBlank()) {
      return hostnameOverride;
    }
    String env = System.getenv(isWindows() ? "COMPUTERNAME" : "HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      Path etc = Path.of("/etc/hostname");
      if (Files.isReadable(etc)) {
        String h = Files.readString(etc).trim();
        if (!h.isEmpty()) {
          return h;
        }
      }
    } catch (IOException ignored) {
      // fall through to the resolver
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** e.g. {@code Linux 6.1.0 (Debian GNU/Linux 12 (bookworm))}. */
  static String osDescription() {
    String base = System.getProperty("os.name", "") + " " + System.getProperty("os.version", "");
    Path osRelease = Path.of("/etc/os-release");
    if (!isWindows() && Files.isReadable(osRelease)) {
      try {
        for (String line : Files.readAllLines(osRelease)) {
          if (line.startsWith("PRETTY_NAME=")) {
            String pretty = line.substring("PRETTY_NAME=".length()).replace("\"", "").trim();
            return base + " (" + pretty + ")";
          }
        }
      } catch (IOException ignored) {
        // the kernel name and version are enough
      }
    }
    return base.trim();
  }

  static String hostAddress(InetAddress a) {
    String s = a.getHostAddress();
    int zone = s.indexOf('%');
    return a instanceof Inet6Address && zone > 0 ? s.substring(0, zone) : s;
  }

  public static String formatMac(byte[] hw) {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < hw.length; i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(String.format(Locale.ROOT, "%02x", hw[i] & 0xff));
    }
    return sb.toString();
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }
}
