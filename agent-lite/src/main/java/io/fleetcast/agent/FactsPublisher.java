package io.fleetcast.agent;

import io.fleetcast.agent.connection.NodeLink;
import io.fleetcast.agent.facts.FactsService;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.Facts;
import io.vertx.core.Future;

/**
 * Tells the node what the machine looks like: in the hello, after an inventory task, and when the
 * periodic check finds that the facts changed since they were last sent (so an unchanged machine
 * costs no frame). Runs on the agent's context.
 */
final class FactsPublisher {
  private final FactsService facts;
  private final NodeLink link;
  private Facts lastSent;

  FactsPublisher(FactsService facts, NodeLink link) {
    this.facts = facts;
    this.link = link;
  }

  /** The facts for a hello, recorded as sent. */
  Future<Facts> forHello() {
    return facts.collect().map(f -> {
      lastSent = f;
      return f;
    });
  }

  /** Sends {@code f} now if a node is connected. */
  void publish(Facts f) {
    if (link.up()) {
      lastSent = f;
      link.send(new AgentMessage.FactsChanged(f));
    }
  }

  /** Collects the facts and sends them if they changed. */
  void refresh() {
    if (!link.up()) {
      return;
    }
    facts.collect().onSuccess(f -> {
      if (!f.equals(lastSent)) {
        publish(f);
      }
    });
  }
}
