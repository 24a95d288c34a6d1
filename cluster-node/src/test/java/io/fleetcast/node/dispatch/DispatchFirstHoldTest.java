package io.fleetcast.node.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.bus.FanOutPart;
import io.fleetcast.node.store.FlushHold;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Result batches wait only while task frames are being sent or more are announced, and never longer than the hold. */
class DispatchFirstHoldTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  /** A node that never sent a task holds nothing. */
  @Test
  void noDispatchNoHold() {
    FlushHold hold = DispatchFirstHold.of(new DispatchActivity(), 30, 500);
    long now = System.nanoTime();
    assertThat(hold.holdMillis(now, now)).isZero();
  }

  /** Right after a send the batch waits, at most the quiet time, and not once the dispatch has been quiet that long. */
  @Test
  void holdsDuringADispatchUntilItGoesQuiet() {
    DispatchActivity activity = new DispatchActivity();
    FlushHold hold = DispatchFirstHold.of(activity, 30, 500);
    activity.sent();
    long now = System.nanoTime();
    assertThat(hold.holdMillis(now, now)).isBetween(1L, 30L);
    assertThat(hold.holdMillis(now, now + 31 * MS)).isZero();
  }

  /** A dispatch that goes on does not keep a batch longer than the hold, counted from its oldest result. */
  @Test
  void neverLongerThanTheHold() {
    DispatchActivity activity = new DispatchActivity();
    FlushHold hold = DispatchFirstHold.of(activity, 30, 500);
    long oldest = System.nanoTime();
    activity.sent();
    long now = System.nanoTime();
    assertThat(hold.holdMillis(now - 495 * MS, now)).isBetween(1L, 5L);
    assertThat(hold.holdMillis(oldest - 500 * MS, now)).isZero();
  }

  /** While more of a fan-out is announced the batch waits past the quiet time; the last part ends that. */
  @Test
  void announcedPartsKeepTheBatchWaitingUntilTheLast() {
    DispatchActivity activity = new DispatchActivity();
    FlushHold hold = DispatchFirstHold.of(activity, 30, 1000);
    activity.arrived(FanOutPart.MORE_TO_COME);
    activity.sent();
    long now = System.nanoTime();
    // quiet for 200 ms between chunks: still waiting, asking again within the quiet time
    assertThat(hold.holdMillis(now, now + 200 * MS)).isBetween(1L, 30L);
    activity.arrived(FanOutPart.LAST);
    activity.sent();
    long later = System.nanoTime();
    assertThat(hold.holdMillis(now, later + 31 * MS)).isZero();
  }

  /** An announcement the gateway never follows up lapses after the hold, and never extends a batch past it. */
  @Test
  void anUnfollowedAnnouncementLapses() {
    DispatchActivity activity = new DispatchActivity();
    FlushHold hold = DispatchFirstHold.of(activity, 30, 500);
    activity.arrived(FanOutPart.MORE_TO_COME);
    long now = System.nanoTime();
    assertThat(hold.holdMillis(now + 600 * MS, now + 600 * MS)).isZero();
    assertThat(hold.holdMillis(now - 500 * MS, now)).isZero();
    assertThat(hold.holdMillis(now, now + 10 * MS)).isBetween(1L, 30L);
  }

  /** A hold of 0 turns the policy off. */
  @Test
  void zeroTurnsItOff() {
    DispatchActivity activity = new DispatchActivity();
    activity.sent();
    assertThat(DispatchFirstHold.of(activity, 30, 0)).isSameAs(FlushHold.NONE);
  }
}
