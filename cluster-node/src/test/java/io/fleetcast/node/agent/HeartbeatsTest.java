package io.fleetcast.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.metrics.MetricNames;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.CloseCodes;
import io.fleetcast.protocol.Facts;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pings spread over the interval, and silent agents dropped with 4008. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class HeartbeatsTest {

  private static List<FakeConnection> connect(SessionFixture f, int n) {
    List<FakeConnection> conns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String agent = UUID.randomUUID().toString();
      FakeConnection c = new FakeConnection();
      f.session(agent, c).onText(new AgentMessage.Hello(agent, "1", Facts.EMPTY).encode());
      conns.add(c);
    }
    return conns;
  }

  /** Over each interval's worth of one-second sweeps every session is pinged exactly once, a share per sweep. */
  @Test
  void pingsEachSessionOncePerInterval(Vertx vertx) {
    // GIVEN 60 live sessions and a 3 s heartbeat
    SessionFixture f = new SessionFixture(vertx);
    List<FakeConnection> conns = connect(f, 60);
    Heartbeats hb = new Heartbeats(f.sessions, 3, 3);

    // WHEN three sweeps run, then three more
    List<Integer> perSweep = new ArrayList<>();
    int dropped = 0;
    for (int i = 0; i < 3; i++) {
      int before = conns.stream().mapToInt(c -> c.pings.get()).sum();
      dropped += hb.sweep();
      perSweep.add(conns.stream().mapToInt(c -> c.pings.get()).sum() - before);
    }
    List<Integer> afterOneInterval = conns.stream().map(c -> c.pings.get()).toList();
    for (int i = 0; i < 3; i++) {
      dropped += hb.sweep();
    }

    // THEN each session got one ping per interval, no sweep pinged everyone, and nobody was dropped
    assertThat(afterOneInterval).containsOnly(1);
    assertThat(conns).allSatisfy(c -> assertThat(c.pings.get()).isEqualTo(2));
    assertThat(perSweep).allSatisfy(n -> assertThat(n).isLessThan(60));
    assertThat(perSweep.stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
    assertThat(dropped).isZero();
    assertThat(conns).allSatisfy(c -> assertThat(c.closeCode).isNull());
  }

  /** A session silent longer than interval x missed is closed with 4008 instead of pinged; one heard from is not. */
  @Test
  void dropsSilentSessions(Vertx vertx) throws Exception {
    // GIVEN a 1 s heartbeat with one miss allowed, and two sessions of which one keeps talking
    SessionFixture f = new SessionFixture(vertx);
    List<FakeConnection> conns = connect(f, 2);
    Heartbeats hb = new Heartbeats(f.sessions, 1, 1);
    AgentSession talking = f.sessions.all().stream().filter(s -> s.connection() == conns.get(0)).findFirst().orElseThrow();

    // WHEN more than the silence limit passes (observed on the session itself) and only one of
    // them was heard from
    AgentSession silent = f.sessions.all().stream().filter(s -> s.connection() == conns.get(1)).findFirst()
        .orElseThrow();
    SessionFixture.waitUntil(() -> System.nanoTime() - silent.lastHeardNanos() > TimeUnit.MILLISECONDS.toNanos(1_050));
    talking.heard();
    int dropped = hb.sweep();

    // THEN the silent one is closed with 4008 and counted idle on close; the other is pinged
    assertThat(dropped).isEqualTo(1);
    assertThat(conns.get(1).closeCode).isEqualTo(CloseCodes.IDLE);
    assertThat(conns.get(0).closeCode).isNull();
    assertThat(conns.get(0).pings.get()).isEqualTo(1);
    f.sessions.all().stream().filter(s -> s.connection() == conns.get(1)).findFirst().orElseThrow().onClosed();
    assertThat(f.count(MetricNames.AGENT_DISCONNECTS, "reason", "idle")).isEqualTo(1);
  }

  /** With an interval longer than the table's sweep slots, each session is still pinged exactly once per interval. */
  @Test
  void aLongIntervalStillPingsEveryoneOncePerInterval(Vertx vertx) {
    // GIVEN 200 live sessions and a 90 s heartbeat (more seconds than sweep slots)
    SessionFixture f = new SessionFixture(vertx);
    List<FakeConnection> conns = connect(f, 200);
    Heartbeats hb = new Heartbeats(f.sessions, 90, 3);

    // WHEN one interval's worth of sweeps runs
    for (int i = 0; i < 90; i++) {
      hb.sweep();
    }

    // THEN everyone got exactly one ping
    assertThat(conns).allSatisfy(c -> assertThat(c.pings.get()).isEqualTo(1));
  }

  /** A session replaced by a newer one for the same agent, or closed, is no longer swept; the newer one is. */
  @Test
  void replacedAndClosedSessionsLeaveTheSweep(Vertx vertx) {
    // GIVEN an agent connected twice (the second session replaces the first) and another that disconnected
    SessionFixture f = new SessionFixture(vertx);
    String agent = UUID.randomUUID().toString();
    FakeConnection first = new FakeConnection();
    FakeConnection second = new FakeConnection();
    f.session(agent, first).onText(new AgentMessage.Hello(agent, "1", Facts.EMPTY).encode());
    f.session(agent, second).onText(new AgentMessage.Hello(agent, "1", Facts.EMPTY).encode());
    List<FakeConnection> gone = connect(f, 1);
    f.sessions.all().stream().filter(s -> s.connection() == gone.get(0)).findFirst().orElseThrow().onClosed();
    Heartbeats hb = new Heartbeats(f.sessions, 1, 3);

    // WHEN one sweep runs
    hb.sweep();

    // THEN only the registered, newer session was pinged
    assertThat(second.pings.get()).isEqualTo(1);
    assertThat(first.pings.get()).isZero();
    assertThat(gone.get(0).pings.get()).isZero();
    assertThat(f.sessions.sweepSlotsSize()).isEqualTo(f.sessions.size());
  }
}
