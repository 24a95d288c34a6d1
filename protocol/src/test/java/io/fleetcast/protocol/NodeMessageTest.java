package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fleetcast.protocol.ProtocolException.Reason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding and encoding of node -> agent frames (SPEC section 1). */
@Timeout(10)
class NodeMessageTest {
  private static final Instant DEADLINE = Instant.parse("2026-06-01T12:00:00Z");

  static NodeMessage.Task fullTask() {
    return new NodeMessage.Task("9a1f0e4c-1b2d-4c3e-8f70-112233445566", "0f0e0d0c-0b0a-4909-8807-060504030201", 2,
        "exec",
        new JsonObject().put("command", "apply-patch").put("args", new JsonArray().add("--now")).put("timeoutSeconds", 300)
            .put("env", new JsonObject().put("A", "b")),
        DEADLINE, Instant.parse("2026-05-31T22:00:00.5Z"), true,
        new JsonObject().put("tags", new JsonArray().add("branch-office")).put("subnets", new JsonArray().add("10.20.0.0/16")),
        "a1b2c3d4e5f60718", "c2lnbmF0dXJl");
  }

  static Stream<NodeMessage> everyType() {
    return Stream.of(
        new NodeMessage.Welcome("node-a", 20, Instant.parse("2026-01-01T00:00:00.123Z")),
        fullTask(),
        new NodeMessage.Task("t", "r", 0, "inventory", new JsonObject(), DEADLINE, null, false, null, null, null),
        new NodeMessage.ResultAck("t"),
        new NodeMessage.ResultAck("t", false, "unknown task: not sent to this agent"),
        new NodeMessage.Cancel("t"),
        new NodeMessage.WakeRelay("req-1", List.of(new NodeMessage.WakeTarget("aa:bb:cc:dd:ee:ff", "10.0.0.255", 9),
            new NodeMessage.WakeTarget("11:22:33:44:55:66", null, 7))),
        new NodeMessage.Reconnect("wss://node-b:8081/agent/v1", 1500),
        new NodeMessage.Reconnect(null, 0),
        new NodeMessage.Unknown("shinyNewThing"));
  }

  /** Every node message survives encode then decode unchanged. */
  @ParameterizedTest
  @MethodSource("everyType")
  void roundTripsEveryType(NodeMessage msg) {
    // GIVEN a message of each type
    // WHEN it is encoded and decoded again
    NodeMessage back = NodeMessage.decode(msg.encode());

    // THEN it is equal to the original
    assertThat(back).isEqualTo(msg);
  }

  /** A task keeps scope, keyId and signature across the wire, so that the agent can verify it. */
  @Test
  void taskCarriesScopeKeyIdAndSignature() {
    // GIVEN a signed task with a scope
    NodeMessage.Task task = fullTask();

    // WHEN it is encoded
    JsonObject wire = new JsonObject(task.encode());
    NodeMessage.Task back = (NodeMessage.Task) NodeMessage.decode(task.encode());

    // THEN every signed field and the signature travel as specified
    assertThat(wire.getString("type")).isEqualTo("task");
    assertThat(wire.getJsonObject("scope").getJsonArray("tags")).containsExactly("branch-office");
    assertThat(wire.getString("keyId")).isEqualTo("a1b2c3d4e5f60718");
    assertThat(wire.getString("signature")).isEqualTo("c2lnbmF0dXJl");
    assertThat(wire.getString("deadline")).isEqualTo("2026-06-01T12:00:00Z");
    assertThat(back.scope()).isEqualTo(task.scope());
    assertThat(back.keyId()).isEqualTo("a1b2c3d4e5f60718");
    assertThat(back.signature()).isEqualTo("c2lnbmF0dXJl");
    assertThat(back.step()).isEqualTo(2);
    assertThat(back.requireConsent()).isTrue();
  }

  /** A plain resultAck omits 'stored', and a refused one says stored=false with the error. */
  @Test
  void resultAckStoredFalseIsExplicit() {
    // GIVEN an ack of a stored result and one of a refused result
    NodeMessage.ResultAck stored = new NodeMessage.ResultAck("t");
    NodeMessage.ResultAck refused = new NodeMessage.ResultAck("t", false, "unknown task");

    // WHEN they are encoded and decoded
    JsonObject storedWire = new JsonObject(stored.encode());
    JsonObject refusedWire = new JsonObject(refused.encode());
    NodeMessage.ResultAck refusedBack = (NodeMessage.ResultAck) NodeMessage.decode(refused.encode());

    // THEN the plain ack is the SPEC's {type, taskId}; the refusal carries stored=false and the error
    assertThat(storedWire.fieldNames()).containsExactlyInAnyOrder("type", "taskId");
    assertThat(((NodeMessage.ResultAck) NodeMessage.decode(stored.encode())).stored()).isTrue();
    assertThat(refusedWire.getBoolean("stored")).isFalse();
    assertThat(refusedWire.getString("error")).isEqualTo("unknown task");
    assertThat(refusedBack.stored()).isFalse();
    assertThat(refusedBack.error()).isEqualTo("unknown task");
  }

  /** A wakeRelay target without port gets the Wake-on-LAN default 9, and the broadcast stays optional. */
  @Test
  void wakeRelayDefaults() {
    // GIVEN a wakeRelay whose target names only a MAC
    String frame = "{\"type\":\"wakeRelay\",\"requestId\":\"r\",\"targets\":[{\"mac\":\"aa:bb:cc:dd:ee:ff\"}]}";

    // WHEN it is decoded
    NodeMessage.WakeRelay relay = (NodeMessage.WakeRelay) NodeMessage.decode(frame);

    // THEN the port is 9 and there is no broadcast address
    assertThat(relay.targets()).containsExactly(new NodeMessage.WakeTarget("aa:bb:cc:dd:ee:ff", null, 9));
  }

  /** A reconnect without url and afterMillis means: go now, wherever bootstrap says. */
  @Test
  void reconnectDefaults() {
    // GIVEN a bare reconnect
    // WHEN it is decoded
    NodeMessage.Reconnect r = (NodeMessage.Reconnect) NodeMessage.decode("{\"type\":\"reconnect\"}");

    // THEN it has no url and no delay
    assertThat(r.url()).isNull();
    assertThat(r.afterMillis()).isZero();
  }

  /** A welcome without heartbeatSeconds gets 30 s. */
  @Test
  void welcomeDefaults() {
    // GIVEN a welcome with only the node id
    // WHEN it is decoded
    NodeMessage.Welcome w = (NodeMessage.Welcome) NodeMessage.decode("{\"type\":\"welcome\",\"nodeId\":\"n\"}");

    // THEN the heartbeat is the default
    assertThat(w.heartbeatSeconds()).isEqualTo(30);
    assertThat(w.nodeId()).isEqualTo("n");
  }

  /** Malformed node frames are refused with a ProtocolException, not any other exception. */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"task\",\"rolloutId\":\"r\",\"kind\":\"exec\",\"deadline\":\"2026-01-01T00:00:00Z\"}",
      "{\"type\":\"task\",\"taskId\":\"t\",\"rolloutId\":\"r\",\"kind\":\"exec\"}",
      "{\"type\":\"task\",\"taskId\":\"t\",\"rolloutId\":\"r\",\"kind\":\"exec\",\"deadline\":\"soon\"}",
      "{\"type\":\"task\",\"taskId\":\"t\",\"rolloutId\":\"r\",\"kind\":\"exec\",\"deadline\":\"2026-01-01T00:00:00Z\",\"spec\":[]}",
      "{\"type\":\"task\",\"taskId\":\"t\",\"rolloutId\":\"r\",\"kind\":\"exec\",\"deadline\":\"2026-01-01T00:00:00Z\",\"requireConsent\":\"yes\"}",
      "{\"type\":\"resultAck\"}",
      "{\"type\":\"resultAck\",\"taskId\":\"t\",\"stored\":\"false\"}",
      "{\"type\":\"wakeRelay\",\"requestId\":\"r\"}",
      "{\"type\":\"wakeRelay\",\"requestId\":\"r\",\"targets\":[\"aa:bb:cc:dd:ee:ff\"]}",
      "{\"type\":\"reconnect\",\"afterMillis\":\"1000\"}",
      "{\"type\":\"welcome\"}",
      "not json"})
  void malformedNodeFramesAreRefused(String frame) {
    // GIVEN a malformed frame from a node
    // WHEN the agent decodes it
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> NodeMessage.decode(frame));

    // THEN it is a protocol error with a refusal reason
    assertThat(e).as(frame).isNotNull();
    assertThat(e.reason()).isIn(Reason.INVALID_JSON, Reason.MISSING_FIELD, Reason.INVALID_FIELD);
  }
}
