package io.fleetcast.node.agent;

import io.fleetcast.node.store.TargetStateStore.StateChange;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops, from a batch of target-state changes about to be written, the plain acks whose result
 * this node has already received from the same session: the result moves the target past
 * {@code acked} in its own statement, so the ack's write would change nothing that is read
 * (an agent that answers at once sends ack and result back to back; writing both doubled the
 * Postgres writes of a fan-out). Progress reports ({@code running}) are always written.
 */
public final class SupersededAcks {
  private SupersededAcks() {}

  public static List<StateChange> drop(List<StateChange> changes, SessionTable sessions) {
    List<StateChange> out = null;
    for (int i = 0; i < changes.size(); i++) {
      StateChange c = changes.get(i);
      boolean superseded = !c.running() && resultReceived(sessions, c);
      if (superseded && out == null) {
        out = new ArrayList<>(changes.subList(0, i));
      } else if (!superseded && out != null) {
        out.add(c);
      }
    }
    return out == null ? changes : out;
  }

  private static boolean resultReceived(SessionTable sessions, StateChange c) {
    AgentSession s = sessions.get(c.agentId().toString());
    return s != null && s.resultReceived(c.taskId());
  }
}
