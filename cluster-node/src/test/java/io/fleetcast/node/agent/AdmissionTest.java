package io.fleetcast.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A connection's way in: its place ends at authentication, its deadline at hello, and a full node stops accepting. */
@Timeout(10)
class AdmissionTest {

  private static HandshakeAdmission admit(EmbeddedChannel ch, UpgradeGuard guard, AtomicInteger expired) {
    HandshakeAdmission a = new HandshakeAdmission(ch, guard.enterPending(ch::close));
    a.watch(ch.eventLoop().schedule(() -> {
      if (a.expire()) {
        expired.incrementAndGet();
        ch.close();
      }
    }, 5, TimeUnit.SECONDS));
    return a;
  }

  /** The place is given back when the credential is accepted; the deadline still closes a connection that never says hello. */
  @Test
  void authenticatedFreesThePlaceButNotTheDeadline() {
    // GIVEN a guard of one place, held by a fresh connection
    UpgradeGuard guard = new UpgradeGuard(100, 1, UpgradeGuard.DEFAULT_EVICT_AFTER_NANOS, new FakeClock());
    EmbeddedChannel ch = new EmbeddedChannel();
    AtomicInteger expired = new AtomicInteger();
    HandshakeAdmission a = admit(ch, guard, expired);
    assertThat(guard.pending()).isEqualTo(1);

    // WHEN its credential is accepted
    a.authenticated();

    // THEN the place is free for the next newcomer, and without hello the deadline still closes it
    assertThat(guard.pending()).isZero();
    assertThat(guard.hasRoom()).isTrue();
    ch.advanceTimeBy(6, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(expired.get()).isEqualTo(1);
    assertThat(ch.isOpen()).isFalse();
    assertThat(guard.pending()).isZero();
  }

  /** After hello the deadline is cancelled and a later close gives nothing back twice. */
  @Test
  void helloEndsTheAdmission() {
    // GIVEN an admitted connection
    UpgradeGuard guard = new UpgradeGuard(100, 2, UpgradeGuard.DEFAULT_EVICT_AFTER_NANOS, new FakeClock());
    EmbeddedChannel ch = new EmbeddedChannel();
    AtomicInteger expired = new AtomicInteger();
    HandshakeAdmission a = admit(ch, guard, expired);

    // WHEN it is authenticated, says hello, outlives the deadline and closes
    a.authenticated();
    a.run();
    ch.advanceTimeBy(6, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    ch.close();

    // THEN the deadline never fired and the guard counts nothing pending (not below zero either)
    assertThat(expired.get()).isZero();
    assertThat(guard.pending()).isZero();
  }

  /** A connection that closes before authentication gives its place back. */
  @Test
  void closeBeforeAuthenticationFreesThePlace() {
    UpgradeGuard guard = new UpgradeGuard(100, 1, UpgradeGuard.DEFAULT_EVICT_AFTER_NANOS, new FakeClock());
    EmbeddedChannel ch = new EmbeddedChannel();
    admit(ch, guard, new AtomicInteger());

    ch.close();

    assertThat(guard.pending()).isZero();
  }

  /** When a newcomer finds no place the listener stops accepting, and accepts again once a place is free. */
  @Test
  void pacerPausesAcceptingUntilAPlaceIsFree() {
    // GIVEN a full guard (its one place taken by a young connection) and a pacer on a listening channel
    FakeClock clock = new FakeClock();
    UpgradeGuard guard = new UpgradeGuard(100, 1, UpgradeGuard.DEFAULT_EVICT_AFTER_NANOS, clock);
    UpgradeGuard.Pending held = guard.enterPending(() -> {});
    EmbeddedChannel listener = new EmbeddedChannel();
    AcceptPacer pacer = new AcceptPacer(guard);
    pacer.bind(listener);

    // WHEN a newcomer is refused
    assertThat(guard.enterPending(() -> {})).isNull();
    pacer.full();

    // THEN accepting stops, and stays stopped while the place is taken
    assertThat(listener.config().isAutoRead()).isFalse();
    listener.advanceTimeBy(AcceptPacer.CHECK_MILLIS * 3, TimeUnit.MILLISECONDS);
    listener.runScheduledPendingTasks();
    assertThat(listener.config().isAutoRead()).isFalse();

    // AND WHEN the place is given back, accepting resumes at the next check
    held.release();
    listener.advanceTimeBy(AcceptPacer.CHECK_MILLIS, TimeUnit.MILLISECONDS);
    listener.runScheduledPendingTasks();
    assertThat(listener.config().isAutoRead()).isTrue();
    assertThat(pacer.paused()).isFalse();
  }

  /** A place held by a connection older than the eviction age counts as room: the next newcomer may evict it. */
  @Test
  void pacerResumesWhenTheOldestCanBeEvicted() {
    FakeClock clock = new FakeClock();
    UpgradeGuard guard = new UpgradeGuard(100, 1, UpgradeGuard.DEFAULT_EVICT_AFTER_NANOS, clock);
    guard.enterPending(() -> {});
    EmbeddedChannel listener = new EmbeddedChannel();
    AcceptPacer pacer = new AcceptPacer(guard);
    pacer.bind(listener);
    pacer.full();

    clock.advanceMillis(TimeUnit.NANOSECONDS.toMillis(UpgradeGuard.DEFAULT_EVICT_AFTER_NANOS) + 1);
    listener.advanceTimeBy(AcceptPacer.CHECK_MILLIS, TimeUnit.MILLISECONDS);
    listener.runScheduledPendingTasks();

    assertThat(listener.config().isAutoRead()).isTrue();
  }
}
