package io.fleetcast.node.agent;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions this node holds, by agent id. At most one per agent: a newer one replaces an older one. */
public final class SessionTable {
  private final ConcurrentHashMap<String, AgentSession> byAgent = new ConcurrentHashMap<>();

  /** Registers the session; yields the session it replaced, if any. */
  public AgentSession register(AgentSession session) {
    return byAgent.put(session.agentId(), session);
  }

  /** Removes the session only if it is still the registered one. */
  public boolean unregister(AgentSession session) {
    return byAgent.remove(session.agentId(), session);
  }

  public AgentSession get(String agentId) {
    return byAgent.get(agentId);
  }

  public int size() {
    return byAgent.size();
  }

  public Collection<AgentSession> all() {
    return byAgent.values();
  }

  public Map<String, AgentSession> view() {
    return byAgent;
  }
}
