package io.fleetcast.fleetctl.rollout;

import java.util.List;

/**
 * What {@code rollout create} was given on the command line; null or empty means "not given"
 * (the file's value, or the server's default, applies).
 */
public record RolloutFlags(
    String name,
    String exec,
    Integer timeoutSeconds,
    List<String> steps,
    boolean targetAll,
    List<String> tags,
    List<String> subnets,
    List<String> agents,
    List<Integer> waves,
    Integer maxInFlight,
    Double maxFailurePercent,
    String startAfter,
    String expiresAt,
    boolean wakeOffline,
    boolean requireConsent) {

  public RolloutFlags {
    steps = steps == null ? List.of() : List.copyOf(steps);
    tags = tags == null ? List.of() : List.copyOf(tags);
    subnets = subnets == null ? List.of() : List.copyOf(subnets);
    agents = agents == null ? List.of() : List.copyOf(agents);
    waves = waves == null ? List.of() : List.copyOf(waves);
  }

  public boolean hasSteps() {
    return exec != null || !steps.isEmpty();
  }

  public boolean hasTargets() {
    return targetAll || !tags.isEmpty() || !subnets.isEmpty() || !agents.isEmpty();
  }
}
