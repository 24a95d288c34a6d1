package io.fleetcast.node.agent;

import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Prefers finishing handshakes over taking new connections: when a newcomer finds every
 * unauthenticated place taken, the listening socket stops accepting until a place is free
 * again, so the next agents wait in the kernel's accept queue (SO_BACKLOG) with their upgrade
 * request already sent, instead of being accepted and closed at once. A refused agent counts a
 * failure and backs off exponentially; during a reconnect storm that turned a few seconds of
 * queueing into tens of seconds of back-off, and every refusal cost an accept and a close.
 *
 * <p>The listener takes up to a batch of connections per wake-up before a pause takes effect, so
 * it resumes only when there is room for such a batch ({@link #HEADROOM} places, a quarter of the
 * cap at most): otherwise every resume would admit one and refuse the rest of the batch.
 */
final class AcceptPacer {
  static final long CHECK_MILLIS = 10;
  /** Netty's default accepts per read (16), a few times over. */
  static final int HEADROOM = 64;

  private final UpgradeGuard guard;
  private final int headroom;
  private final AtomicBoolean paused = new AtomicBoolean();
  private volatile Channel listener;

  AcceptPacer(UpgradeGuard guard) {
    this.guard = guard;
    this.headroom = Math.min(HEADROOM, guard.maxPending() / 4);
  }

  void bind(Channel listeningChannel) {
    this.listener = listeningChannel;
  }

  /** A newcomer found no place: stop accepting until {@link UpgradeGuard#hasRoom(int)} a batch. */
  void full() {
    Channel l = listener;
    if (l != null && l.isOpen() && paused.compareAndSet(false, true)) {
      l.config().setAutoRead(false);
      l.eventLoop().schedule(this::check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  boolean paused() {
    return paused.get();
  }

  private void check() {
    Channel l = listener;
    if (!l.isOpen()) {
      return;
    }
    if (guard.hasRoom(headroom)) {
      paused.set(false);
      l.config().setAutoRead(true);
    } else {
      l.eventLoop().schedule(this::check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }
}
