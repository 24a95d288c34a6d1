package io.fleetcast.gateway.wake;

import io.fleetcast.protocol.wake.MacAddress;
import java.util.List;
import java.util.Set;

/**
 * What to send for one wake request: relay jobs (one per relay, target MAC and subnet), direct
 * jobs (one per target MAC and route destination) and, per target, what became of it.
 */
public record WakePlan(List<RelayJob> relayJobs, List<DirectJob> directJobs, List<Outcome> outcomes) {

  /** Why a target cannot be woken; metric label values and the answer's {@code reason}. */
  public enum Reason {
    /** No enrolled agent has this id. */
    unknown_agent,
    /** The agent's facts hold no usable MAC address. */
    no_mac,
    /** No subnet is known for the target (none reported, none given). */
    no_subnet,
    /** No online agent in any of its subnets, and no direct route to any of them. */
    no_relay_or_route,
    /** A SecureOn password was given, which only the direct path can send, and no route exists. */
    needs_direct_route,
    /** The pacing queue had no room (rollout wakes; the API answers 503 instead). */
    queue_full
  }

  /** Ask {@code relayAgentId} to send the magic packet of {@code mac} into {@code subnet}. */
  public record RelayJob(String relayAgentId, String subnet, MacAddress mac, String broadcast, int port,
      String targetAgentId) {}

  /** Send the magic packet of {@code mac} (a machine in {@code subnet}) to {@code address:port} ourselves. */
  public record DirectJob(String subnet, MacAddress mac, String address, int port, String targetAgentId) {}

  /**
   * One target's fate: the relays asked, the number of direct destinations, or why it is
   * unreachable. {@code online}: the agent is connected, nothing to wake.
   */
  public record Outcome(WakeTarget target, Set<String> relays, int directDestinations, boolean online, Reason reason,
      String detail) {
    public boolean relayed() {
      return !relays.isEmpty();
    }

    public boolean direct() {
      return directDestinations > 0;
    }

    public boolean unreachable() {
      return reason != null;
    }
  }

  /** Packets the plan puts on the pacing queue (relay jobs count {@code repeats} each, as relays repeat too). */
  public long cost(int repeats) {
    return (long) repeats * (relayJobs.size() + directJobs.size());
  }

  /** The same plan restricted to the given target agents (and every raw-MAC target). */
  public WakePlan onlyAgents(Set<String> agentIds) {
    return new WakePlan(
        relayJobs.stream().filter(j -> j.targetAgentId() == null || agentIds.contains(j.targetAgentId())).toList(),
        directJobs.stream().filter(j -> j.targetAgentId() == null || agentIds.contains(j.targetAgentId())).toList(),
        outcomes.stream().filter(o -> o.target().agentId() == null || agentIds.contains(o.target().agentId())).toList());
  }
}
