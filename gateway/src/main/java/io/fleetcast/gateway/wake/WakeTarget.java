package io.fleetcast.gateway.wake;

import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.protocol.wake.MacAddress;
import java.util.List;

/**
 * A machine to wake: an enrolled agent (its last known MACs and subnets from its facts) or a
 * raw MAC given with a subnet. {@code requestedMac} is set for raw-MAC targets (as the operator
 * named it, for the answer).
 */
public record WakeTarget(String agentId, String requestedMac, List<MacAddress> macs, List<Subnet> subnets) {
  public WakeTarget {
    macs = List.copyOf(macs);
    subnets = List.copyOf(subnets);
  }

  public static WakeTarget agent(String agentId, List<MacAddress> macs, List<Subnet> subnets) {
    return new WakeTarget(agentId, null, macs, subnets);
  }

  public static WakeTarget mac(MacAddress mac, List<Subnet> subnets) {
    return new WakeTarget(null, mac.toString(), List.of(mac), subnets);
  }
}
