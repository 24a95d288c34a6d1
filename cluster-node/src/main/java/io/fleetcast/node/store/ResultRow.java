package io.fleetcast.node.store;

import io.fleetcast.protocol.TaskStatus;
import java.time.Instant;
import java.util.UUID;

/** One result as received from an agent, ready to be stored. */
public record ResultRow(UUID taskId, UUID agentId, TaskStatus status, Integer exitCode, String output,
    Instant startedAt, Instant finishedAt, long receivedNanos) {}
