package io.fleetcast.gateway.auth;

/** Who is calling the API: a token id and name with its role. */
public record Principal(String tokenId, String name, Role role) {
  /** For audit rows: {@code name (id)}. */
  public String actor() {
    return name + " (" + tokenId + ")";
  }
}
