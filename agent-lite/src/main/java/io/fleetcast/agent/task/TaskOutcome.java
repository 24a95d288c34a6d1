package io.fleetcast.agent.task;

import io.fleetcast.protocol.TaskStatus;

/** What a task kind reports; the task manager adds task id and times to make the result. */
public record TaskOutcome(TaskStatus status, Integer exitCode, String output) {

  public TaskOutcome {
    output = output == null ? "" : output;
  }

  public static TaskOutcome succeeded(String output) {
    return new TaskOutcome(TaskStatus.SUCCEEDED, 0, output);
  }

  public static TaskOutcome failed(String output) {
    return new TaskOutcome(TaskStatus.FAILED, null, output);
  }

  public static TaskOutcome rejected(String reason) {
    return new TaskOutcome(TaskStatus.REJECTED, null, reason);
  }

  public static TaskOutcome declined(String reason) {
    return new TaskOutcome(TaskStatus.DECLINED, null, reason);
  }

  public static TaskOutcome cancelled(String output) {
    return new TaskOutcome(TaskStatus.CANCELLED, null, output);
  }
}
