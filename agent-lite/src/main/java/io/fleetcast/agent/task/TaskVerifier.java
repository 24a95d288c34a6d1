package io.fleetcast.agent.task;

import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.NodeMessage.Task;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Decides whether a task may run at all, before anything is persisted or run: signature
 * (unless dev mode with no keys), deadline, scope. Returns the rejection reason or null.
 */
public final class TaskVerifier {
  private final SigningKeys keys;
  private final boolean dev;
  private final String agentId;
  private final Supplier<Facts> facts;
  private final Clock clock;

  public TaskVerifier(SigningKeys keys, boolean dev, String agentId, Supplier<Facts> facts, Clock clock) {
    this.keys = keys;
    this.dev = dev;
    this.agentId = agentId;
    this.facts = facts;
    this.clock = clock;
  }

  /** True when tasks run unsigned: dev mode and no signing key known. */
  public boolean unsignedAllowed() {
    return dev && keys.isEmpty();
  }

  public String rejectionReason(Task task) {
    if (!unsignedAllowed()) {
      if (keys.isEmpty()) {
        return "bad signature: the agent has no signing key to verify tasks with (enroll again or use --dev)";
      }
      if (task.signature() == null || task.signature().isBlank()) {
        return "bad signature: the task is not signed";
      }
      if (!keys.verify(task)) {
        return "bad signature: the task signature does not verify with any known gateway key";
      }
    }
    if (!task.deadline().isAfter(clock.instant())) {
      return "deadline passed: " + task.deadline();
    }
    if (!unsignedAllowed() || task.scope() != null) {
      Facts f = facts.get();
      String why = ScopeCheck.whyNotInScope(task.scope(), agentId, f.tags(), f.ips());
      if (why != null) {
        return why;
      }
    }
    return null;
  }
}
