package io.fleetcast.gateway.agent;

/** Whether an agent's credential has been revoked (the cluster's revocation list, kept current by the app). */
@FunctionalInterface
public interface RevokedAgents {
  boolean isRevoked(String agentId);
}
