package io.fleetcast.common.bus;

/**
 * Where a {@link DispatchRequest} stands in its fan-out: the gateway sends a big rollout in
 * chunks as it resolves the targets, and a node that knows more of the same fan-out follows
 * lets its result writes wait until its share has left (docs/performance.md "Dispatch first").
 * A hint only: a node must not depend on ever seeing the {@link #LAST} part.
 */
public enum FanOutPart {
  /** Nothing more of this fan-out is on its way (or the sender cannot tell). */
  LAST,
  /** The gateway is still resolving or claiming targets of this fan-out: more chunks follow shortly. */
  MORE_TO_COME
}
