package io.fleetcast.node.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.node.dispatch.MinorityReconnect.Step;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The minority rule, without timers: when a node below quorum moves its agents, and when it stops. */
class MinorityReconnectTest {
  private final AtomicBoolean quorate = new AtomicBoolean(true);
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final AtomicInteger starts = new AtomicInteger();
  private final AtomicInteger stops = new AtomicInteger();

  private MinorityReconnect rule(long graceMillis) {
    return new MinorityReconnect(quorate::get, clock::get, graceMillis, starts::incrementAndGet, stops::incrementAndGet);
  }

  /** Agents are moved only once the node has been below quorum for the whole grace time, and only once. */
  @Test
  void movesAgentsAfterTheGraceTimeBelowQuorum() {
    MinorityReconnect r = rule(30_000);
    assertThat(r.check()).isEqualTo(Step.NONE);
    quorate.set(false);
    assertThat(r.check()).isEqualTo(Step.NONE);
    clock.addAndGet(29_999);
    assertThat(r.check()).as("one millisecond short of the grace time").isEqualTo(Step.NONE);
    clock.addAndGet(1);
    assertThat(r.check()).isEqualTo(Step.STARTED);
    clock.addAndGet(10_000);
    assertThat(r.check()).as("already moving").isEqualTo(Step.NONE);
    assertThat(starts).hasValue(1);
    assertThat(r.moving()).isTrue();
  }

  /** A blip below quorum shorter than the grace time moves nobody, and the grace time starts over. */
  @Test
  void aShortBlipMovesNobody() {
    MinorityReconnect r = rule(30_000);
    quorate.set(false);
    r.check();
    clock.addAndGet(20_000);
    quorate.set(true);
    assertThat(r.check()).isEqualTo(Step.NONE);
    quorate.set(false);
    r.check();
    clock.addAndGet(20_000);
    assertThat(r.check()).isEqualTo(Step.NONE);
    assertThat(starts).hasValue(0);
  }

  /** When the quorum is back the node stops moving agents (and takes new ones again). */
  @Test
  void stopsWhenTheQuorumIsBack() {
    MinorityReconnect r = rule(1_000);
    quorate.set(false);
    r.check();
    clock.addAndGet(1_000);
    assertThat(r.check()).isEqualTo(Step.STARTED);
    quorate.set(true);
    assertThat(r.check()).isEqualTo(Step.STOPPED);
    assertThat(stops).hasValue(1);
    assertThat(r.moving()).isFalse();
  }

  /** A grace time of 0 switches the rule off. */
  @Test
  void zeroSwitchesItOff() {
    MinorityReconnect r = rule(0);
    quorate.set(false);
    clock.addAndGet(3_600_000);
    assertThat(r.check()).isEqualTo(Step.NONE);
    assertThat(r.check()).isEqualTo(Step.NONE);
    assertThat(starts).hasValue(0);
  }
}
