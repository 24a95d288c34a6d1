package io.fleetcast.node.agent;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.util.concurrent.ScheduledFuture;

/**
 * One connection's stay among the unfinished handshakes: holds its {@link UpgradeGuard} place and
 * its handshake deadline until hello (or close, or the deadline), then lets go of both. Once done
 * it also takes itself off the channel's close future, so an idle connection keeps nothing of its
 * admission (before, the place, the cancelled timer and three lambdas stayed for its lifetime).
 */
final class HandshakeAdmission implements ChannelFutureListener, Runnable {
  private final Channel channel;
  private UpgradeGuard.Pending slot;
  private ScheduledFuture<?> deadline;

  HandshakeAdmission(Channel channel, UpgradeGuard.Pending slot) {
    this.channel = channel;
    this.slot = slot;
  }

  /** Arms the deadline and the release on close. */
  void watch(ScheduledFuture<?> handshakeDeadline) {
    this.deadline = handshakeDeadline;
    channel.closeFuture().addListener(this);
  }

  /** True if this call took the connection out of the pending places (deadline or eviction win only once). */
  boolean expire() {
    UpgradeGuard.Pending s = slot;
    return s != null && s.release();
  }

  /** Hello done: gives the place back and forgets the deadline. Called on the channel's I/O thread. */
  @Override
  public void run() {
    finish();
    channel.closeFuture().removeListener(this);
  }

  /** The socket closed before hello. */
  @Override
  public void operationComplete(ChannelFuture future) {
    finish();
  }

  private void finish() {
    UpgradeGuard.Pending s = slot;
    ScheduledFuture<?> d = deadline;
    slot = null;
    deadline = null;
    if (s != null) {
      s.release();
    }
    if (d != null) {
      d.cancel(false);
    }
  }
}
