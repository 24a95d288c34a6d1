package io.fleetcast.node.dispatch;

import io.fleetcast.common.log.Kv;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Moves a node's agents to the majority side of a partition. A node below quorum refuses
 * dispatch, so its agents get no work for as long as the cut lasts; once it has been below
 * quorum for {@code graceMillis} (a short blip is not worth a reconnect storm), it sends its
 * agents {@code reconnect} at the drainer's bounded pace, without a URL, so each agent asks
 * the bootstrap again and lands on a node of the majority (this node refuses new agents while
 * below quorum). When the quorum is back the node takes agents again.
 *
 * <p>The decision ({@link #check}) is free of I/O and timers; the node calls it every second.
 */
public final class MinorityReconnect {
  private static final Logger LOG = Logger.getLogger(MinorityReconnect.class.getName());

  /** What a check did. */
  public enum Step { NONE, STARTED, STOPPED }

  private final BooleanSupplier quorate;
  private final LongSupplier clock;
  private final long graceMillis;
  private final Runnable startMoving;
  private final Runnable stopMoving;
  private long belowSince = -1;
  private boolean moving;

  /**
   * @param graceMillis how long below quorum before agents are moved; 0 or less: never
   * @param startMoving starts the paced reconnect of every agent
   * @param stopMoving stops it (quorum is back)
   */
  public MinorityReconnect(BooleanSupplier quorate, LongSupplier clock, long graceMillis, Runnable startMoving,
      Runnable stopMoving) {
    this.quorate = quorate;
    this.clock = clock;
    this.graceMillis = graceMillis;
    this.startMoving = startMoving;
    this.stopMoving = stopMoving;
  }

  public boolean moving() {
    return moving;
  }

  public Step check() {
    if (graceMillis <= 0) {
      return Step.NONE;
    }
    long now = clock.getAsLong();
    if (quorate.getAsBoolean()) {
      belowSince = -1;
      if (moving) {
        moving = false;
        LOG.info(Kv.event("node.quorum_regained"));
        stopMoving.run();
        return Step.STOPPED;
      }
      return Step.NONE;
    }
    if (belowSince < 0) {
      belowSince = now;
      LOG.warning(Kv.event("node.quorum_lost", "reconnectAfterMillis", graceMillis));
    }
    if (!moving && now - belowSince >= graceMillis) {
      moving = true;
      LOG.warning(Kv.event("node.minority_reconnect", "belowQuorumMillis", now - belowSince));
      startMoving.run();
      return Step.STARTED;
    }
    return Step.NONE;
  }
}
