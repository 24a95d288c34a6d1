package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The live-output additions to the agent channel: {@code watchOutput} (node -> agent) and {@code output} (agent -> node). */
@Timeout(10)
class LiveOutputMessagesTest {

  /** Both messages survive a round trip; watch seconds are clamped to 0..120. */
  @Test
  void roundTrip() {
    AgentMessage.Output o = new AgentMessage.Output("t-1", 7, "line <b>\n");
    assertThat(AgentMessage.decode(o.encode())).isEqualTo(o);
    NodeMessage.WatchOutput w = new NodeMessage.WatchOutput("t-1", 30);
    assertThat(NodeMessage.decode(w.encode())).isEqualTo(w);
    assertThat(NodeMessage.decode(new JsonObject().put("type", "watchOutput").put("taskId", "t-1").put("seconds", 99999)
        .encode())).isEqualTo(new NodeMessage.WatchOutput("t-1", NodeMessage.WatchOutput.MAX_SECONDS));
  }

  /** A chunk longer than 4,096 characters, or without data, is a protocol error. */
  @Test
  void chunksAreBounded() {
    String big = "x".repeat(AgentMessage.Output.MAX_CHUNK + 1);
    assertThatThrownBy(() -> AgentMessage.decode(new JsonObject().put("type", "output").put("taskId", "t").put("seq", 0)
        .put("data", big).encode())).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> AgentMessage.decode(new JsonObject().put("type", "output").put("taskId", "t").encode()))
        .isInstanceOf(ProtocolException.class);
  }
}
