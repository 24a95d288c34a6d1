package io.fleetcast.agent.task;

import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.TaskStatus;

/**
 * What a task kind reports; the task manager adds task id and times to make the result.
 * {@code error} says in a few words why the task did not succeed when no exit code does (hash
 * mismatch, command not found, timed out...); it becomes the target's reason on the server.
 */
public record TaskOutcome(TaskStatus status, Integer exitCode, String output, String error) {

  public TaskOutcome {
    output = output == null ? "" : output;
    if (error != null) {
      error = error.strip();
      if (error.isEmpty()) {
        error = null;
      } else if (error.length() > AgentMessage.Result.MAX_ERROR_CHARS) {
        error = error.substring(0, AgentMessage.Result.MAX_ERROR_CHARS - 1) + "…";
      }
    }
  }

  public TaskOutcome(TaskStatus status, Integer exitCode, String output) {
    this(status, exitCode, output, null);
  }

  public static TaskOutcome succeeded(String output) {
    return new TaskOutcome(TaskStatus.SUCCEEDED, 0, output, null);
  }

  /** A failure the message explains (it is both the output and the error). */
  public static TaskOutcome failed(String message) {
    return new TaskOutcome(TaskStatus.FAILED, null, message, message);
  }

  public static TaskOutcome rejected(String reason) {
    return new TaskOutcome(TaskStatus.REJECTED, null, reason, reason);
  }

  public static TaskOutcome declined(String reason) {
    return new TaskOutcome(TaskStatus.DECLINED, null, reason, reason);
  }

  public static TaskOutcome cancelled(String output) {
    return new TaskOutcome(TaskStatus.CANCELLED, null, output, output);
  }
}
