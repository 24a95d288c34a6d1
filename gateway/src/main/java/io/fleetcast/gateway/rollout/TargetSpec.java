package io.fleetcast.gateway.rollout;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Which agents a rollout reaches: explicit agents, plus every agent carrying all the trusted
 * {@code tags} (given by its enrollment token), all the {@code reportedTags} (what the agent says
 * about itself: an explicit opt-in, since a stolen credential can claim any) and sitting in any
 * of the {@code subnets} (self-reported addresses); or all agents.
 */
public record TargetSpec(List<String> agents, List<String> tags, List<String> reportedTags, List<String> subnets,
    boolean all) {

  /** The scope signed into every task, so that an agent can check it is meant to run it. */
  public JsonObject scope() {
    if (all) {
      return new JsonObject().put("all", true);
    }
    JsonObject j = new JsonObject();
    if (!agents.isEmpty()) {
      j.put("agents", new JsonArray(agents));
    }
    if (!tags.isEmpty()) {
      j.put("tags", new JsonArray(tags));
    }
    if (!reportedTags.isEmpty()) {
      j.put("reportedTags", new JsonArray(reportedTags));
    }
    if (!subnets.isEmpty()) {
      j.put("subnets", new JsonArray(subnets));
    }
    return j;
  }

  /** Whether any selector other than explicit agents is given. */
  public boolean selectsByAttributes() {
    return !tags.isEmpty() || !reportedTags.isEmpty() || !subnets.isEmpty();
  }
}
