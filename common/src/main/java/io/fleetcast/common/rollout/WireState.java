package io.fleetcast.common.rollout;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A state as stored in Postgres and shown in the API: its wire name. */
public interface WireState {
  /** The name stored in the {@code state} column and published in the API. */
  String wire();

  /** The state as an SQL string literal, e.g. {@code 'pending'}: for statements built from the enum. */
  default String sql() {
    return "'" + wire() + "'";
  }

  /** Whether {@code wire} (a stored state) is this state. */
  default boolean is(String wire) {
    return wire().equals(wire);
  }

  /** The state of {@code type} stored as {@code wire}, if there is one. */
  static <E extends Enum<E> & WireState> Optional<E> find(Class<E> type, String wire) {
    for (E s : type.getEnumConstants()) {
      if (s.wire().equals(wire)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The state of {@code type} stored as {@code wire}; unknown names are refused. */
  static <E extends Enum<E> & WireState> E of(Class<E> type, String label, String wire) {
    return find(type, wire).orElseThrow(() -> new IllegalArgumentException("unknown " + label + ": " + wire));
  }

  /** Every state's wire name, in the enum's order (for messages listing what is allowed). */
  static <E extends Enum<E> & WireState> List<String> wireNames(Class<E> type) {
    return SqlStates.wires(EnumSet.allOf(type));
  }

  /** Whether the stored state {@code wire} is in {@code group} (false for unknown names). */
  static <E extends Enum<E> & WireState> boolean in(Class<E> type, Set<E> group, String wire) {
    return find(type, wire).map(group::contains).orElse(false);
  }

  /** An unmodifiable group of states. */
  @SafeVarargs
  static <E extends Enum<E>> Set<E> group(E first, E... rest) {
    return Collections.unmodifiableSet(EnumSet.of(first, rest));
  }
}
