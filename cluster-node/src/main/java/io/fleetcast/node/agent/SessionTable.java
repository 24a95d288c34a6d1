package io.fleetcast.node.agent;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions this node holds, by agent id. At most one per agent: a newer one replaces an older one.
 * Also kept in {@link #SWEEP_SLOTS} slots by session id, so that a periodic pass over a share of the
 * sessions (the heartbeat sweep) visits only that share instead of every session every second.
 */
public final class SessionTable {
  /** Slots of the sweep partition; a divisor-free 64 spreads any heartbeat interval up to 64 s evenly enough. */
  public static final int SWEEP_SLOTS = 64;

  private final ConcurrentHashMap<String, AgentSession> byAgent = new ConcurrentHashMap<>();
  private final Set<AgentSession>[] slots = newSlots();
  private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

  /** Registers the session; yields the session it replaced, if any. */
  public AgentSession register(AgentSession session) {
    AgentSession older = byAgent.put(session.agentId(), session);
    slotOf(session).add(session);
    if (older != null && older != session) {
      slotOf(older).remove(older);
    }
    version.incrementAndGet();
    return older;
  }

  /** Removes the session only if it is still the registered one. */
  public boolean unregister(AgentSession session) {
    boolean removed = byAgent.remove(session.agentId(), session);
    // whether or not it was still the registered one, a session that goes away leaves its slot
    slotOf(session).remove(session);
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

  /** The registered sessions of one sweep slot (0 .. SWEEP_SLOTS-1); weakly consistent, safe to close sessions while iterating. */
  public Set<AgentSession> sweepSlot(int slot) {
    return slots[slot];
  }

  /** Sessions in all sweep slots together: equals {@link #size()} once registrations settle (for tests). */
  int sweepSlotsSize() {
    int n = 0;
    for (Set<AgentSession> s : slots) {
      n += s.size();
    }
    return n;
  }

  private Set<AgentSession> slotOf(AgentSession session) {
    return slots[Math.floorMod(session.sessionId().hashCode(), SWEEP_SLOTS)];
  }

  @SuppressWarnings("unchecked")
  private static Set<AgentSession>[] newSlots() {
    Set<AgentSession>[] s = new Set[SWEEP_SLOTS];
    for (int i = 0; i < s.length; i++) {
      s[i] = ConcurrentHashMap.newKeySet();
    }
    return s;
  }
}
