package io.fleetcast.node.agent;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.util.concurrent.ScheduledFuture;

/**
 * One connection's way in: it holds an {@link UpgradeGuard} place until its credential is
 * accepted (the cap is on unauthenticated connections, so a storm of real agents frees places as
 * fast as the node authenticates them), and a handshake deadline until hello. Once hello is done
 * it lets go of both and takes itself off the channel's close future, so an idle connection
 * keeps nothing of its admission (before, the place, the cancelled timer and three lambdas stayed
 * for its lifetime). Every call comes from the channel's I/O thread.
 */
final class HandshakeAdmission implements ChannelFutureListener, Runnable {
  private final Channel channel;
  private UpgradeGuard.Pending slot;
  private ScheduledFuture<?> deadline;
  private boolean over;

  HandshakeAdmission(Channel channel, UpgradeGuard.Pending slot) {
    this.channel = channel;
    this.slot = slot;
  }

  /** Arms the deadline and the release on close. */
  void watch(ScheduledFuture<?> handshakeDeadline) {
    this.deadline = handshakeDeadline;
    channel.closeFuture().addListener(this);
  }

  /** The credential was accepted: the place goes to the next connection; the deadline still runs until hello. */
  void authenticated() {
    releaseSlot();
  }

  /**
   * The deadline passed: true if the handshake is still unfinished (the caller closes the socket).
   * False if hello came first, or another newcomer already evicted this connection.
   */
  boolean expire() {
    if (over) {
      return false;
    }
    UpgradeGuard.Pending s = slot;
    if (s != null && !s.release()) {
      return false; // evicted: the socket is already being closed
    }
    slot = null;
    over = true;
    return true;
  }

  /** Hello done. */
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
    over = true;
    releaseSlot();
    ScheduledFuture<?> d = deadline;
    deadline = null;
    if (d != null) {
      d.cancel(false);
    }
  }

  private void releaseSlot() {
    UpgradeGuard.Pending s = slot;
    slot = null;
    if (s != null) {
      s.release();
    }
  }
}
