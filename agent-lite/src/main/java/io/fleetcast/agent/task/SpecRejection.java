package io.fleetcast.agent.task;

import io.fleetcast.protocol.task.SpecError;
import io.fleetcast.protocol.task.SpecStage;
import io.fleetcast.protocol.task.SpecValidator;
import io.fleetcast.protocol.task.TaskKinds;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Why a task's spec is {@code rejected}, by the kind's descriptor in the protocol module (the one
 * the gateway checked the rollout with): every problem, "spec.timeoutSeconds must be between 1 and
 * 604800; spec.env.A must be a string". Unknown fields are not a problem here (a newer gateway may
 * add some).
 */
public final class SpecRejection {
  private SpecRejection() {}

  /** Null when {@code spec} is a valid {@code kind} spec, or when the protocol has no descriptor for it. */
  public static String reason(String kind, JsonObject spec) {
    return TaskKinds.find(kind).map(k -> reason(SpecValidator.check(k, SpecStage.TASK, spec))).orElse(null);
  }

  private static String reason(List<SpecError> errors) {
    return errors.isEmpty() ? null : errors.stream().map(SpecError::reason).collect(Collectors.joining("; "));
  }
}
