package io.fleetcast.common.rollout;

/** A state as stored in Postgres and shown in the API: its wire name. */
public interface WireState {
  /** The name stored in the {@code state} column and published in the API. */
  String wire();

  /** The state as an SQL string literal, e.g. {@code 'pending'}: for statements built from the enum. */
  default String sql() {
    return "'" + wire() + "'";
  }
}
