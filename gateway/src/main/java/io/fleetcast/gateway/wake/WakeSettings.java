package io.fleetcast.gateway.wake;

import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.protocol.net.IpLiteral;

/**
 * The {@code wake.*} settings, read and checked once at start-up (reading a routes file blocks:
 * build this off the event loop).
 *
 * @param relayBroadcast {@code subnet}, {@code agent} or a canonical IP literal
 */
public record WakeSettings(
    int relaysPerTarget,
    int packetsPerSecond,
    int packetsPerSecondPerSubnet,
    int repeats,
    long repeatIntervalMillis,
    int defaultPort,
    String relayBroadcast,
    DirectRoutes routes,
    int relayTimeoutSeconds,
    int wakingTimeoutSeconds,
    long maxQueuedPackets) {

  public static final String BROADCAST_SUBNET = "subnet";
  public static final String BROADCAST_AGENT = "agent";

  public static WakeSettings from(FleetcastConfig c) {
    int port = c.integer("wake.defaultPort");
    check(port >= 1 && port <= 65535, "wake.defaultPort must be a UDP port (1-65535)");
    int k = c.integer("wake.relaysPerTarget");
    check(k >= 0 && k <= 16, "wake.relaysPerTarget must be 0-16 (0 = never relay)");
    int pps = c.integer("wake.packetsPerSecond");
    int ppsSubnet = c.integer("wake.packetsPerSecondPerSubnet");
    check(pps >= 1 && ppsSubnet >= 1, "wake.packetsPerSecond and wake.packetsPerSecondPerSubnet must be at least 1");
    int repeats = c.integer("wake.repeats");
    check(repeats >= 1 && repeats <= 20, "wake.repeats must be 1-20");
    int interval = c.integer("wake.repeatIntervalMillis");
    check(interval >= 0, "wake.repeatIntervalMillis must not be negative");
    String bc = c.string("wake.relayBroadcast") == null ? BROADCAST_SUBNET : c.string("wake.relayBroadcast").trim();
    if (!bc.equals(BROADCAST_SUBNET) && !bc.equals(BROADCAST_AGENT)) {
      String literal = IpLiteral.canonicalOrNull(bc);
      check(literal != null, "wake.relayBroadcast must be 'subnet', 'agent' or an IP address, got '" + bc + "'");
      bc = literal;
    }
    int relayTimeout = c.integer("wake.relayTimeoutSeconds");
    int wakingTimeout = c.integer("wake.wakingTimeoutSeconds");
    check(relayTimeout >= 1 && wakingTimeout >= 1, "wake.relayTimeoutSeconds and wake.wakingTimeoutSeconds must be at least 1");
    int maxQueued = c.integer("wake.maxQueuedPackets");
    check(maxQueued >= 1, "wake.maxQueuedPackets must be at least 1");
    DirectRoutes routes = DirectRoutes.fromSetting(c.string("wake.directRoutes"), port);
    return new WakeSettings(k, pps, ppsSubnet, repeats, interval, port, bc, routes, relayTimeout, wakingTimeout, maxQueued);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
