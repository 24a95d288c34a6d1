package io.fleetcast.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.node.store.TargetStateStore.StateChange;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Which queued target-state changes still need a write once results have come in. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class SupersededAcksTest {
  private static final Facts FACTS = new Facts("pc-1", "linux", "amd64", List.of("10.0.0.7"), List.of(),
      List.of("10.0.0.0/24"), List.of(), List.of());

  /** An ack whose result the same session has received is dropped; other acks and progress reports stay. */
  @Test
  void anAckFollowedByItsResultIsNotWritten(Vertx vertx) {
    // GIVEN two active sessions, one of which has sent the result of task t1
    SessionFixture f = new SessionFixture(vertx);
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    AgentSession sa = f.session(a.toString(), new FakeConnection());
    AgentSession sb = f.session(b.toString(), new FakeConnection());
    sa.onText(new AgentMessage.Hello(a.toString(), "1.0", FACTS).encode());
    sb.onText(new AgentMessage.Hello(b.toString(), "1.0", FACTS).encode());
    UUID t1 = UUID.randomUUID();
    UUID t2 = UUID.randomUUID();
    sa.onText(new AgentMessage.Result(t1.toString(), TaskStatus.SUCCEEDED, 0, "", null, null).encode());

    // WHEN a batch holds a's ack and progress of t1, a's ack of t2, b's ack of t1 and an agent with no session
    StateChange ackA1 = new StateChange(t1, a, false);
    StateChange runA1 = new StateChange(t1, a, true, 50);
    StateChange ackA2 = new StateChange(t2, a, false);
    StateChange ackB1 = new StateChange(t1, b, false);
    StateChange ackGone = new StateChange(t1, UUID.randomUUID(), false);
    List<StateChange> kept = SupersededAcks.drop(List.of(ackA1, runA1, ackA2, ackB1, ackGone), f.sessions);

    // THEN only a's plain ack of t1 is dropped
    assertThat(kept).containsExactly(runA1, ackA2, ackB1, ackGone);
    // AND a batch with nothing to drop is passed on as it is
    List<StateChange> none = List.of(ackA2, ackB1);
    assertThat(SupersededAcks.drop(none, f.sessions)).isSameAs(none);
  }
}
