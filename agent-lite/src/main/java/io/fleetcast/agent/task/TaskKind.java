package io.fleetcast.agent.task;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** One {@code kind} of task the agent can run (exec, install, service, power, inventory). */
public interface TaskKind {

  String name();

  /** Checks the spec before anything runs; a non-null answer rejects the task with that reason. */
  default String validate(JsonObject spec) {
    return null;
  }

  /**
   * Runs the task. Never blocks the calling event loop; never fails the future for a task
   * problem (that is an outcome with a status), only for bugs.
   */
  Future<TaskOutcome> run(TaskContext ctx);
}
