package io.fleetcast.gateway.deploy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A discovered host's place in a deployment: {@code discovered -> scheduled -> installing ->
 * withAgent}, or {@code failed} with one {@link DeployError}. The allowed moves are here and
 * nowhere else; the store applies them with compare-and-set on the current state.
 */
public enum HostState {
  DISCOVERED("discovered"), SCHEDULED("scheduled"), INSTALLING("installing"), WITH_AGENT("withAgent"),
  FAILED("failed");

  private final String wire;

  HostState(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<HostState> fromWire(String s) {
    return Arrays.stream(values()).filter(v -> v.wire.equals(s)).findFirst();
  }

  /** The states a host may move to from this one. */
  public Set<HostState> next() {
    return switch (this) {
      // an agent may enroll on its own at any time: a host then is withAgent whatever we were doing
      case DISCOVERED -> EnumSet.of(SCHEDULED, WITH_AGENT);
      // a cancelled job returns scheduled hosts to discovered
      case SCHEDULED -> EnumSet.of(INSTALLING, DISCOVERED, WITH_AGENT);
      // back to scheduled: a transient failure (timeout, refused) retried later with back-off
      case INSTALLING -> EnumSet.of(WITH_AGENT, FAILED, SCHEDULED);
      // retry: one call re-schedules every failed host
      case FAILED -> EnumSet.of(SCHEDULED, WITH_AGENT);
      case WITH_AGENT -> EnumSet.noneOf(HostState.class);
    };
  }

  public boolean canMoveTo(HostState to) {
    return next().contains(to);
  }

  /** Throws when the move is not allowed (a bug or a race the caller must handle). */
  public HostState moveTo(HostState to) {
    if (!canMoveTo(to)) {
      throw new IllegalStateException("a host cannot go from " + wire + " to " + to.wire);
    }
    return to;
  }

  /** The states from which a move to {@code to} is allowed (what the store's WHERE clause names). */
  public static Set<HostState> from(HostState to) {
    EnumSet<HostState> out = EnumSet.noneOf(HostState.class);
    for (HostState s : values()) {
      if (s.canMoveTo(to)) {
        out.add(s);
      }
    }
    return out;
  }
}
