package io.fleetcast.gateway.rollout;

import io.fleetcast.gateway.error.BodyReader;
import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.error.FieldError;
import io.fleetcast.common.rollout.TargetState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * A re-run, as asked and as built (pure): which target states of the old rollout to run again, and
 * the new rollout body (the old steps and strategy, minus its times, for the chosen agents).
 */
public record Rerun(List<String> states, String name) {
  /** {@code offline}: targets that ended without their machine ever being reached (never dispatched). */
  public static final String OFFLINE = "offline";
  public static final Set<String> STATES = Set.of(TargetState.FAILED.wire(), TargetState.TIMED_OUT.wire(),
      TargetState.EXPIRED.wire(), TargetState.SKIPPED.wire(), TargetState.REJECTED.wire(), TargetState.DECLINED.wire(),
      TargetState.CANCELLED.wire(), OFFLINE);

  public static Rerun parse(JsonObject body) {
    BodyReader r = BodyReader.of(body);
    r.onlyKnown(Set.of("states", "name"));
    List<String> states = r.strings("states", STATES.size(), 32);
    if (states.isEmpty() && !r.errors().stream().anyMatch(e -> e.field().startsWith("states"))) {
      r.error("states", "name at least one of " + String.join(", ", STATES.stream().sorted().toList()));
    }
    for (int i = 0; i < states.size(); i++) {
      if (!STATES.contains(states.get(i))) {
        r.error("states[" + i + "]", "must be one of " + String.join(", ", STATES.stream().sorted().toList()));
      }
    }
    String name = r.string("name", false, 200);
    r.throwIfInvalid();
    return new Rerun(List.copyOf(states), name);
  }

  /** The state filter for SQL: real target states, and whether "never reached" targets are included. */
  public String[] targetStates() {
    return states.stream().filter(s -> !s.equals(OFFLINE)).toArray(String[]::new);
  }

  public boolean includesOffline() {
    return states.contains(OFFLINE);
  }

  /** The new rollout's body: same steps and strategy (without startAfter/expiresAt), these agents. */
  public JsonObject body(String oldName, JsonObject oldRequest, List<String> agents) {
    if (agents.isEmpty()) {
      throw DomainError.conflict("no target of this rollout is in " + String.join(", ", states));
    }
    if (agents.size() > RolloutSpec.MAX_EXPLICIT_AGENTS) {
      throw DomainError.invalid(List.of(new FieldError("states", agents.size() + " targets match; a re-run takes "
          + "at most " + RolloutSpec.MAX_EXPLICIT_AGENTS + " (pick fewer states, or create a rollout by tags)")));
    }
    JsonObject strategy = oldRequest.getJsonObject("strategy", new JsonObject()).copy();
    strategy.remove("startAfter");
    strategy.remove("expiresAt");
    String n = name != null ? name : ("re-run of " + oldName + " (" + String.join(", ", states) + ")");
    return new JsonObject().put("name", n.length() > 200 ? n.substring(0, 200) : n)
        .put("steps", oldRequest.getJsonArray("steps").copy())
        .put("targets", new JsonObject().put("agents", new JsonArray(agents)))
        .put("strategy", strategy);
  }
}
