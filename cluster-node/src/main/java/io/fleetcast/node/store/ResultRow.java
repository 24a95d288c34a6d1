package io.fleetcast.node.store;

import io.fleetcast.protocol.TaskStatus;
import java.time.Instant;
import java.util.UUID;

/** One result as received from an agent, ready to be stored; {@code error} says why when no exit code does. */
public record ResultRow(UUID taskId, UUID agentId, TaskStatus status, Integer exitCode, String output,
    Instant startedAt, Instant finishedAt, long receivedNanos, String error) {

  public ResultRow(UUID taskId, UUID agentId, TaskStatus status, Integer exitCode, String output, Instant startedAt,
      Instant finishedAt, long receivedNanos) {
    this(taskId, agentId, status, exitCode, output, startedAt, finishedAt, receivedNanos, null);
  }
}
