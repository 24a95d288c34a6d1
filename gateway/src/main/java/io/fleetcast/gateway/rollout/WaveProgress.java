package io.fleetcast.gateway.rollout;

/**
 * A snapshot of a running rollout's targets, as counted by the engine.
 *
 * @param total every target
 * @param released targets whose wave has started
 * @param inFlight released targets handed to an agent and not finished (waking included), except targets
 *     dispatched to an agent no live node holds now: those neither hold the in-flight window nor the wave
 * @param pendingOnline released targets not dispatched yet whose agent is online on a live node
 * @param terminal released targets in a final state
 * @param failures released targets that failed, timed out or were rejected
 * @param allTerminal every target (released or not) is final
 */
public record WaveProgress(int total, int released, int inFlight, boolean pendingOnline, int terminal, int failures,
    boolean allTerminal) {}
