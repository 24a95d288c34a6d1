package io.fleetcast.common.location;

import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The single-process registry has the registry contract's semantics. */
@ExtendWith(VertxExtension.class)
@Timeout(10)
class InMemoryAgentLocationsTest extends AgentLocationRegistryContract {
  private final InMemoryAgentLocations registry = new InMemoryAgentLocations();

  @Override
  AgentLocationRegistry registry() {
    return registry;
  }
}
