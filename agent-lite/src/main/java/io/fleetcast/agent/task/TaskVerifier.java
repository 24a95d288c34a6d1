package io.fleetcast.agent.task;

import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.NodeMessage.Cancel;
import io.fleetcast.protocol.NodeMessage.Task;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides whether a task may run at all, before anything is persisted or run, in two parts:
 * {@link #authenticityProblem} (task signature and the gateway's fresh release: a task failing
 * these may be forged and is ignored without a trace) and {@link #rejectionReason} (deadline and
 * scope of a genuine task: rejected with a result). Unless dev mode with no keys.
 */
public final class TaskVerifier {
  /** Agent clocks drift: a release is honoured this long after its {@code notAfter}. */
  public static final Duration RELEASE_CLOCK_SKEW = Duration.ofSeconds(60);

  private final SigningKeys keys;
  private final boolean dev;
  private final String agentId;
  private final Supplier<Facts> facts;
  private final Supplier<? extends Collection<String>> assignedTags;
  private final Clock clock;

  public TaskVerifier(SigningKeys keys, boolean dev, String agentId, Supplier<Facts> facts, Clock clock) {
    this(keys, dev, agentId, facts, Set::of, clock);
  }

  /**
   * @param assignedTags the tags the gateway says the server assigned to this agent after its
   *     enrollment (in addition to the configured and enrollment tags in {@code facts})
   */
  public TaskVerifier(SigningKeys keys, boolean dev, String agentId, Supplier<Facts> facts,
      Supplier<? extends Collection<String>> assignedTags, Clock clock) {
    this.keys = keys;
    this.dev = dev;
    this.agentId = agentId;
    this.facts = facts;
    this.assignedTags = assignedTags;
    this.clock = clock;
  }

  /** True when tasks run unsigned: dev mode and no signing key known. */
  public boolean unsignedAllowed() {
    return dev && keys.isEmpty();
  }

  /**
   * Why this frame cannot be trusted to come from the gateway now (null: it can): no key, no or a
   * bad task signature, no or a bad release, or a release past its {@code notAfter}.
   */
  public String authenticityProblem(Task task) {
    if (unsignedAllowed()) {
      return null;
    }
    if (keys.isEmpty()) {
      return "bad signature: the agent has no signing key to verify tasks with (enroll again or use --dev)";
    }
    if (task.signature() == null || task.signature().isBlank()) {
      return "bad signature: the task is not signed";
    }
    if (!keys.verify(task)) {
      return "bad signature: the task signature does not verify with any known gateway key";
    }
    if (task.release() == null) {
      return "no release: the gateway did not release this task for this dispatch";
    }
    if (!keys.verifyRelease(task)) {
      return "bad release: the release signature does not verify for this task";
    }
    if (task.release().notAfter().plus(RELEASE_CLOCK_SKEW).isBefore(clock.instant())) {
      return "release expired: " + task.release().notAfter() + " (a replay, or this machine's clock is wrong)";
    }
    return null;
  }

  /** Whether a cancel may be acted on: signed by the gateway, or unsigned tasks are allowed anyway. */
  public boolean cancelTrusted(Cancel cancel) {
    return unsignedAllowed() || keys.verifyCancel(cancel);
  }

  /** Every reason not to run the task: {@link #authenticityProblem}, then {@link #validityProblem}; null if none. */
  public String rejectionReason(Task task) {
    String forged = authenticityProblem(task);
    return forged != null ? forged : validityProblem(task);
  }

  /** Why a task already found authentic is not for this agent now (deadline, scope), or null. */
  public String validityProblem(Task task) {
    if (!task.deadline().isAfter(clock.instant())) {
      return "deadline passed: " + task.deadline();
    }
    if (!unsignedAllowed() || task.scope() != null) {
      Facts f = facts.get();
      String why = ScopeCheck.whyNotInScope(task.scope(), agentId, tags(f), f.ips());
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  /**
   * True when the task is within its deadline and out of scope solely because the agent lacks
   * some of the scope's {@code tags}: learning the server-assigned tags might put it in scope.
   */
  public boolean onlyTagsMissing(Task task) {
    if (!task.deadline().isAfter(clock.instant())) {
      return false;
    }
    Facts f = facts.get();
    return ScopeCheck.onlyTagsMissing(task.scope(), agentId, tags(f), f.ips());
  }

  private Collection<String> tags(Facts f) {
    Collection<String> assigned = assignedTags.get();
    if (assigned.isEmpty()) {
      return f.tags();
    }
    Set<String> all = new HashSet<>(f.tags());
    all.addAll(assigned);
    return all;
  }
}
