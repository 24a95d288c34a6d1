package io.fleetcast.node.store;

/** What became of one submitted result. */
public enum StoreOutcome {
  /** Committed now. */
  STORED,
  /** Already stored earlier (at-least-once delivery); acknowledged, nothing changed. */
  DUPLICATE,
  /** Not a task this agent was sent (or the row itself was refused); acknowledged as not stored. */
  REJECTED
}
