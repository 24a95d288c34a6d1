package io.fleetcast.node.agent;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions this node holds, by agent id. At most one per agent: a newer one replaces an older one. */
public final class SessionTable {
  private final ConcurrentHashMap<String, AgentSession> byAgent = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

  /** Registers the session; yields the session it replaced, if any. */
  public AgentSession register(AgentSession session) {
    AgentSession older = byAgent.put(session.agentId(), session);
    version.incrementAndGet();
    return older;
  }

  /** Removes the session only if it is still the registered one. */
  public boolean unregister(AgentSession session) {
    boolean removed = byAgent.remove(session.agentId(), session);
    version.incrementAndGet();
    return removed;
  }

  /** A session's facts changed. */
  public void factsChanged() {
    version.incrementAndGet();
  }

  /** Changes with every register, unregister and facts change: lets periodic passes skip an unchanged table. */
  public long version() {
    return version.get();
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
