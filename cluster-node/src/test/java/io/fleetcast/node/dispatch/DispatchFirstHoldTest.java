package io.fleetcast.node.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.node.store.FlushHold;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Result batches wait only while task frames are being sent, and never longer than the hold. */
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

  /** A hold of 0 turns the policy off. */
  @Test
  void zeroTurnsItOff() {
    DispatchActivity activity = new DispatchActivity();
    activity.sent();
    assertThat(DispatchFirstHold.of(activity, 30, 0)).isSameAs(FlushHold.NONE);
  }
}
