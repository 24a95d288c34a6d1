package io.fleetcast.gateway.rollout;

import io.vertx.core.json.JsonObject;

/** One step of a job: a task kind with its spec, and when the next step may run. */
public record StepSpec(String kind, JsonObject spec, String continueOn) {}
