package io.fleetcast.agent.tags;

import io.vertx.core.Future;
import java.util.List;

/** Where the agent learns its server-assigned tags from: the gateway (trusted), never a node. */
public interface TrustedTagSource {
  /** The tags the server has for this agent now; fails when it cannot tell. */
  Future<List<String>> fetch();
}
