package io.fleetcast.gateway.rollout;

import io.fleetcast.gateway.error.BodyReader;
import io.fleetcast.protocol.task.SpecError;
import io.fleetcast.protocol.task.SpecStage;
import io.fleetcast.protocol.task.SpecValidator;
import io.fleetcast.protocol.task.TaskKind;
import io.fleetcast.protocol.task.TaskKinds;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Validates the {@code spec} of each task kind (SPEC section 1, "Task kinds") against the kind's
 * descriptor in the protocol module, the same the agent checks it with: fields, types, bounds and
 * allowed values are written there only. What needs the catalogue (an install's package) is checked
 * when the step is resolved (gateway software).
 */
final class TaskSpecs {
  private TaskSpecs() {}

  static void validate(String kind, JsonObject spec, BodyReader s, BodyReader step) {
    Optional<TaskKind> descriptor = TaskKinds.find(kind);
    if (descriptor.isEmpty()) {
      step.error("kind", "must be one of " + String.join(", ", TaskKinds.names()));
      return;
    }
    for (SpecError e : SpecValidator.check(descriptor.get(), SpecStage.REQUEST, spec)) {
      s.error(e.path(), e.message());
    }
  }
}
