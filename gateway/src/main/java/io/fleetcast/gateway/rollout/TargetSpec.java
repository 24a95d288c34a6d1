package io.fleetcast.gateway.rollout;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Which agents a rollout reaches: explicit agents, plus every agent carrying all the tags
 * and sitting in any of the subnets (when tags or subnets are given); or all agents.
 */
public record TargetSpec(List<String> agents, List<String> tags, List<String> subnets, boolean all) {

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
    if (!subnets.isEmpty()) {
      j.put("subnets", new JsonArray(subnets));
    }
    return j;
  }
}
