package io.fleetcast.gateway.auth;

import java.util.Arrays;
import java.util.Optional;

/** API roles; each includes the rights of the ones before it. */
public enum Role {
  VIEWER("viewer"), OPERATOR("operator"), ADMIN("admin");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public boolean atLeast(Role other) {
    return ordinal() >= other.ordinal();
  }

  public static Optional<Role> fromWire(String s) {
    return Arrays.stream(values()).filter(r -> r.wire.equals(s)).findFirst();
  }
}
