package io.fleetcast.agent.task;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One {@code kind} of task the agent can run; its spec's fields and bounds are the kind's descriptor in
 * the protocol module ({@link io.fleetcast.protocol.task.TaskKinds}).
 */
public interface TaskKind {

  String name();

  /**
   * Checks the spec before anything runs; a non-null answer rejects the task with that reason. By
   * default the kind's descriptor decides; a kind with a check the descriptor cannot state (this
   * agent's abilities, a conditional field) adds it and calls this one.
   */
  default String validate(JsonObject spec) {
    return SpecRejection.reason(name(), spec);
  }

  /**
   * Called when a task that starts later ({@code notBefore} in the future) was accepted: a kind
   * may get ready now (an install pre-stages its download). Never blocks.
   */
  default void prepare(io.fleetcast.protocol.NodeMessage.Task task, Cancellation cancellation) {}

  /**
   * Runs the task. Never blocks the calling event loop; never fails the future for a task
   * problem (that is an outcome with a status), only for bugs.
   */
  Future<TaskOutcome> run(TaskContext ctx);
}
