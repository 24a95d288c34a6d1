package io.fleetcast.node.agent;

import io.fleetcast.protocol.Facts;
import java.util.List;

/**
 * The part of an agent's facts a node still reads after hello: its subnets and MACs, which the
 * Wake-on-LAN relay index publishes. Hostname, OS, addresses, tags and users go to presence
 * (Postgres) at hello and on change, and are not kept per connection: they were a fifth of the
 * heap an idle agent cost.
 */
final class RelayFacts {
  private RelayFacts() {}

  /** A new object whenever the facts change (the relay index publisher compares by identity). */
  static Facts of(Facts facts) {
    if (facts.subnets().isEmpty() && facts.macs().isEmpty()) {
      return Facts.EMPTY;
    }
    return new Facts("", "", "", List.of(), facts.macs(), facts.subnets(), List.of(), List.of());
  }
}
