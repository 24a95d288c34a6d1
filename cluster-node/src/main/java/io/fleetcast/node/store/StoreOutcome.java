package io.fleetcast.node.store;

/** What became of one submitted result. */
public enum StoreOutcome {
  /** Committed now. */
  STORED,
  /** Already stored earlier (at-least-once delivery); acknowledged, nothing changed. */
  DUPLICATE,
  /** Not a task of a rollout this agent is a target of (or the row itself was refused); acknowledged as not stored. */
  REJECTED,
  /**
   * The agent is a target of the task's rollout, but that step was never dispatched to it (e.g. a
   * later-wave target that learnt the shared task id): ignored, counted, acknowledged as not stored.
   */
  REFUSED
}
