package io.fleetcast.agent.enroll;

import java.util.List;

/** The gateway's answer to {@code GET /agent/v1/bootstrap}: node URLs best first, current signing keys. */
public record BootstrapInfo(List<String> nodes, List<SigningKey> signingKeys) {
  public BootstrapInfo {
    nodes = List.copyOf(nodes);
    signingKeys = List.copyOf(signingKeys);
  }
}
