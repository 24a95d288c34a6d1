package io.fleetcast.load.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The hand-written hot-path frames must stay exactly what the protocol module encodes and accepts. */
class FramesTest {

  /** An ack decodes as the protocol's Ack with the same task id. */
  @Test
  void ackIsAProtocolAck() {
    String id = UUID.randomUUID().toString();
    assertThat(AgentMessage.decode(Frames.ack(id))).isEqualTo(new AgentMessage.Ack(id));
    assertThat(Frames.ack(id)).isEqualTo(new AgentMessage.Ack(id).encode());
  }

  /** A result decodes as a succeeded Result with exit code 0 and both times, and encodes identically. */
  @Test
  void resultIsAProtocolResult() {
    String id = UUID.randomUUID().toString();
    Instant a = Instant.parse("2026-01-02T03:04:05.123Z");
    Instant b = Instant.parse("2026-01-02T03:04:06Z");
    AgentMessage.Result expected = new AgentMessage.Result(id, TaskStatus.SUCCEEDED, 0, "ok", a, b);
    assertThat(AgentMessage.decode(Frames.result(id, a, b))).isEqualTo(expected);
    assertThat(Frames.result(id, a, b)).isEqualTo(expected.encode());
  }

  /** Hello carries the agent id, our version and facts that the node can store (valid IPs, MACs and CIDRs). */
  @Test
  void helloCarriesFacts() {
    String id = AgentIds.id(42, 70_000);
    AgentMessage.Hello h = (AgentMessage.Hello) AgentMessage.decode(Frames.hello(id, 70_000));
    assertThat(h.agentId()).isEqualTo(id);
    assertThat(h.version()).isEqualTo(Frames.VERSION);
    assertThat(h.facts().ips()).containsExactly("10.1.17.112");
    assertThat(h.facts().subnets()).containsExactly("10.1.17.0/24");
    assertThat(h.facts().macs()).containsExactly("02:00:00:01:11:70");
  }

  /** A relay request is answered as failed for every MAC: the generator never sends packets. */
  @Test
  void wakeDoneReportsEveryMacFailed() {
    AgentMessage.WakeDone w = (AgentMessage.WakeDone) AgentMessage.decode(Frames.wakeDone("r1", List.of("aa:bb:cc:dd:ee:ff")));
    assertThat(w.sent()).isEmpty();
    assertThat(w.failed()).extracting(AgentMessage.WakeFailure::mac).containsExactly("aa:bb:cc:dd:ee:ff");
  }
}
