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
 */
final class AcceptPacer {
  static final long CHECK_MILLIS = 10;

  private final UpgradeGuard guard;
  private final AtomicBoolean paused = new AtomicBoolean();
  private volatile Channel listener;

  AcceptPacer(UpgradeGuard guard) {
    this.guard = guard;
  }

  void bind(Channel listeningChannel) {
    this.listener = listeningChannel;
  }

  /** A newcomer found no place: stop accepting until {@link UpgradeGuard#hasRoom()}. */
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
    if (guard.hasRoom()) {
      paused.set(false);
      l.config().setAutoRead(true);
    } else {
      l.eventLoop().schedule(this::check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }
}
