package io.fleetcast.gateway.rollout;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Replaces {@code targets: {"group": name}} in a rollout body by the saved group's selector
 * (implemented by the group feature); bodies without a group pass through unchanged.
 */
public interface TargetGroups {
  TargetGroups NONE = Future::succeededFuture;

  Future<JsonObject> expand(JsonObject body);
}
