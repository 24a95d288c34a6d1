package io.fleetcast.gateway.rollout;

import java.time.Instant;
import java.util.List;

/**
 * How a rollout proceeds. {@code waves} are cumulative percentages ending at 100;
 * {@code maxInFlight} and {@code maxFailurePercent} are null when unlimited.
 */
public record Strategy(List<Integer> waves, Integer maxInFlight, Double maxFailurePercent, Instant startAfter,
    Instant expiresAt, boolean wakeOffline, boolean requireConsent) {}
