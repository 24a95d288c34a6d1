package io.fleetcast.common.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.protocol.AgentMessage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BusCodecsTest {

  private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

  /** Every message record comes back equal after a trip through the wire form, at an offset as in a cluster frame. */
  @Test
  void everyMessageSurvivesTheWire() {
    List<Object> messages = List.of(
        new DispatchRequest("task", "{\"type\":\"task\"}", List.of(A.toString(), B.toString())),
        new DispatchRequest("task", "{\"type\":\"task\"}", List.of(A.toString()), FanOutPart.MORE_TO_COME),
        new DispatchReply(1, List.of(B.toString())),
        ProgressMessage.of(List.of(A, B)),
        OnlineMessage.of("node-1", List.of(A)),
        new RevokedMessage(A.toString()),
        new OutputChunk("task-1", 7, "hello\n"),
        new WakeDoneMessage(B.toString(), new AgentMessage.WakeDone("req-1", List.of("aa:bb:cc:dd:ee:ff"),
            List.of(new AgentMessage.WakeFailure("00:11:22:33:44:55", "network unreachable")))),
        new ControlOp.Supersede(A.toString(), "session-1"),
        new ControlOp.Drain(50),
        new ControlOp.Undrain(),
        new ControlOp.WatchOutput(A.toString(), "task-1", 30),
        new ControlReply.Done(true),
        new ControlReply.DrainStatus(true, 12),
        new ControlReply.DrainStatus(false, null));
    for (Object m : messages) {
      assertThat(roundTrip(m)).as(m.getClass().getSimpleName()).isEqualTo(m);
    }
  }

  /** Each record class has exactly one codec, under a name of its own. */
  @Test
  void oneCodecPerRecordClass() {
    assertThat(BusCodecs.ALL.stream().map(BusCodec::type).distinct()).hasSize(BusCodecs.ALL.size());
    assertThat(BusCodecs.ALL.stream().map(BusCodec::name).distinct()).hasSize(BusCodecs.ALL.size());
  }

  /** The wire form keeps the JSON shape the messages had before they were records. */
  @Test
  void wireShapeIsTheDocumentedJson() {
    assertThat(ProgressMessage.of(A).toJson()).isEqualTo(new JsonObject().put("rollouts", new io.vertx.core.json.JsonArray().add(A.toString())));
    assertThat(new ControlReply.DrainStatus(false, null).toJson()).isEqualTo(new JsonObject().put("draining", false));
    assertThatThrownBy(() -> ControlOp.fromJson(new JsonObject().put("op", "cancel")))
        .hasMessageContaining("unknown control op");
  }

  /** Registering twice on one Vert.x is harmless, and a record sent locally arrives as the same object. */
  @Test
  void registersOncePerVertxAndPassesRecordsLocally() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      BusCodecs.register(vertx);
      BusCodecs.register(vertx);
      ControlOp.Drain sent = new ControlOp.Drain(10);
      vertx.eventBus().<ControlOp>consumer("test.control", m -> m.reply(new ControlReply.Done(m.body() == sent)));
      ControlReply reply = vertx.eventBus().<ControlReply>request("test.control", sent).await().body();
      assertThat(reply).isEqualTo(new ControlReply.Done(true));
    } finally {
      vertx.close().await();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object roundTrip(Object message) {
    BusCodec codec = BusCodecs.ALL.stream().filter(c -> c.type() == message.getClass()).findFirst().orElseThrow();
    Buffer wire = Buffer.buffer().appendString("frame-header");
    codec.encodeToWire(wire, message);
    return codec.decodeFromWire("frame-header".length(), wire);
  }
}
