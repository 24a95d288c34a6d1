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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding and encoding of agent -> node frames (SPEC section 1). */
@Timeout(10)
class AgentMessageTest {
  private static final String TASK = "5b6c1a0e-8a0c-4b53-9d0e-3f3d2b6a7c11";
  private static final Facts FACTS = new Facts("pc-17", "windows", "amd64", List.of("10.0.0.7", "fe80::1"),
      List.of("aa:bb:cc:dd:ee:ff"), List.of("10.0.0.0/24"), List.of("branch-office", "kiosk"), List.of("alice"));

  static Stream<AgentMessage> everyType() {
    return Stream.of(
        new AgentMessage.Hello("agent-1", "1.2.3", FACTS),
        new AgentMessage.Hello("agent-1", "", Facts.EMPTY),
        new AgentMessage.FactsChanged(FACTS),
        new AgentMessage.Ack(TASK),
        new AgentMessage.Progress(TASK, 0, ""),
        new AgentMessage.Progress(TASK, 100, "done with \"quotes\" and \u00e9"),
        new AgentMessage.Result(TASK, TaskStatus.SUCCEEDED, 0, "ok\n", Instant.parse("2026-01-02T03:04:05.123456Z"),
            Instant.parse("2026-01-02T03:04:06Z")),
        new AgentMessage.Result(TASK, TaskStatus.TIMED_OUT, null, "", null, null),
        new AgentMessage.Result(TASK, TaskStatus.REJECTED, -1, "x".repeat(AgentMessage.Result.MAX_OUTPUT_CHARS), null,
            null),
        new AgentMessage.WakeDone("req-1", List.of("aa:bb:cc:dd:ee:ff"),
            List.of(new AgentMessage.WakeFailure("11:22:33:44:55:66", "network unreachable"))),
        new AgentMessage.WakeDone("req-2", List.of(), List.of()),
        new AgentMessage.Unknown("somethingNew"));
  }

  /** Every message type survives encode then decode unchanged. */
  @ParameterizedTest
  @MethodSource("everyType")
  void roundTripsEveryType(AgentMessage msg) {
    // GIVEN a message of each type
    // WHEN it is encoded to a frame and decoded again
    AgentMessage back = AgentMessage.decode(msg.encode());

    // THEN it is equal to the original and carries its wire type
    assertThat(back).isEqualTo(msg);
    assertThat(new JsonObject(msg.encode()).getString("type")).isEqualTo(msg.type());
  }

  /** Every task status of the SPEC decodes from its wire name. */
  @ParameterizedTest
  @ValueSource(strings = {"succeeded", "failed", "timedOut", "declined", "cancelled", "rejected"})
  void decodesEveryStatus(String status) {
    // GIVEN a result frame with one of the specified statuses
    String frame = new JsonObject().put("type", "result").put("taskId", TASK).put("status", status).encode();

    // WHEN it is decoded
    AgentMessage.Result r = (AgentMessage.Result) AgentMessage.decode(frame);

    // THEN the status maps back to the same wire name
    assertThat(r.status().wire()).isEqualTo(status);
  }

  /** Optional fields that are absent get their documented defaults. */
  @Test
  void absentOptionalFieldsGetDefaults() {
    // GIVEN frames with only their required fields
    // WHEN they are decoded
    AgentMessage.Hello hello = (AgentMessage.Hello) AgentMessage.decode("{\"type\":\"hello\",\"agentId\":\"a\"}");
    AgentMessage.Progress progress = (AgentMessage.Progress) AgentMessage.decode(
        "{\"type\":\"progress\",\"taskId\":\"t\"}");
    AgentMessage.Result result = (AgentMessage.Result) AgentMessage.decode(
        "{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\"}");

    // THEN the optional parts are empty, not null
    assertThat(hello.version()).isEmpty();
    assertThat(hello.facts()).isEqualTo(Facts.EMPTY);
    assertThat(progress.percent()).isZero();
    assertThat(progress.message()).isEmpty();
    assertThat(result.output()).isEmpty();
    assertThat(result.exitCode()).isNull();
    assertThat(result.startedAt()).isNull();
  }

  static Stream<Arguments> malformed() {
    String deep = "{\"type\":\"hello\",\"agentId\":\"a\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    String deepObjects = "{\"type\":\"facts\",\"facts\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3000) + "}";
    return Stream.of(
        // not JSON, or not an object
        Arguments.of("{", Reason.INVALID_JSON),
        Arguments.of("hello", Reason.INVALID_JSON),
        Arguments.of("", Reason.INVALID_JSON),
        Arguments.of("{\"type\":\"ack\",\"taskId\":}", Reason.INVALID_JSON),
        Arguments.of("{\"type\":\"ack\",\"taskId\":\"t\"} trailing", Reason.INVALID_JSON),
        Arguments.of("[{\"type\":\"ack\",\"taskId\":\"t\"}]", Reason.INVALID_JSON),
        Arguments.of("\"ack\"", Reason.INVALID_JSON),
        Arguments.of("42", Reason.INVALID_JSON),
        Arguments.of("null", Reason.INVALID_JSON),
        Arguments.of(deep, Reason.INVALID_JSON),
        Arguments.of(deepObjects, Reason.INVALID_JSON),
        // missing type or required fields
        Arguments.of("{}", Reason.MISSING_FIELD),
        Arguments.of("{\"taskId\":\"t\"}", Reason.MISSING_FIELD),
        Arguments.of("{\"type\":null}", Reason.MISSING_FIELD),
        Arguments.of("{\"type\":\"hello\"}", Reason.MISSING_FIELD),
        Arguments.of("{\"type\":\"hello\",\"agentId\":null}", Reason.MISSING_FIELD),
        Arguments.of("{\"type\":\"facts\"}", Reason.MISSING_FIELD),
        Arguments.of("{\"type\":\"ack\"}", Reason.MISSING_FIELD),
        Arguments.of("{\"type\":\"progress\",\"percent\":5}", Reason.MISSING_FIELD),
        Arguments.of("{\"type\":\"result\",\"status\":\"failed\"}", Reason.MISSING_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\"}", Reason.MISSING_FIELD),
        Arguments.of("{\"type\":\"wakeDone\",\"sent\":[]}", Reason.MISSING_FIELD),
        Arguments.of("{\"type\":\"wakeDone\",\"requestId\":\"r\",\"failed\":[{\"error\":\"x\"}]}", Reason.MISSING_FIELD),
        // wrong field types
        Arguments.of("{\"type\":7}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":[\"hello\"]}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"hello\",\"agentId\":42}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"hello\",\"agentId\":\"\"}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"hello\",\"agentId\":\"" + "a".repeat(129) + "\"}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"hello\",\"agentId\":\"a\",\"version\":3}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"hello\",\"agentId\":\"a\",\"facts\":\"linux\"}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"hello\",\"agentId\":\"a\",\"facts\":{\"ips\":\"10.0.0.1\"}}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"hello\",\"agentId\":\"a\",\"facts\":{\"ips\":[1,2]}}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"hello\",\"agentId\":\"a\",\"facts\":{\"hostname\":{}}}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"facts\",\"facts\":[]}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"ack\",\"taskId\":{\"id\":\"t\"}}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"progress\",\"taskId\":\"t\",\"percent\":\"50\"}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"progress\",\"taskId\":\"t\",\"percent\":50.5}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"progress\",\"taskId\":\"t\",\"message\":false}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":1}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\",\"exitCode\":\"1\"}",
            Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\",\"exitCode\":1.5}",
            Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\",\"exitCode\":99999999999}",
            Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\",\"output\":[\"a\"]}",
            Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\",\"startedAt\":\"yesterday\"}",
            Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\",\"finishedAt\":12}",
            Reason.INVALID_FIELD),
        // times outside RFC 3339's four-digit years (Instant.parse takes them; no database can hold the first)
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\",\"startedAt\":"
            + "\"+1000000000-01-01T00:00:00Z\"}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\",\"finishedAt\":"
            + "\"+100000-01-01T00:00:00Z\"}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\",\"finishedAt\":"
            + "\"-0001-01-01T00:00:00Z\"}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"failed\",\"finishedAt\":\"\"}",
            Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"wakeDone\",\"requestId\":\"r\",\"sent\":\"aa\"}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"wakeDone\",\"requestId\":\"r\",\"failed\":[\"aa\"]}", Reason.INVALID_FIELD),
        // out-of-range percent
        Arguments.of("{\"type\":\"progress\",\"taskId\":\"t\",\"percent\":101}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"progress\",\"taskId\":\"t\",\"percent\":-1}", Reason.INVALID_FIELD),
        // bad status
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"SUCCEEDED\"}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"timed_out\"}", Reason.INVALID_FIELD),
        Arguments.of("{\"type\":\"result\",\"taskId\":\"t\",\"status\":\"\"}", Reason.INVALID_FIELD));
  }

  /** Every malformed frame maps to its reason and that reason's close code, never another exception. */
  @ParameterizedTest
  @MethodSource("malformed")
  void malformedFramesMapToReasonAndCloseCode(String frame, Reason expected) {
    // GIVEN a malformed frame
    // WHEN it is decoded
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> AgentMessage.decode(frame));

    // THEN it fails with the expected reason and the close code the SPEC gives that reason
    assertThat(e).as("decoding %s", frame.length() > 80 ? frame.substring(0, 80) + "..." : frame).isNotNull();
    assertThat(e.reason()).isEqualTo(expected);
    assertThat(e.closeCode()).isEqualTo(expected.closeCode());
    assertThat(e.closeCode()).isIn(CloseCodes.INVALID_PAYLOAD, CloseCodes.POLICY_VIOLATION);
  }

  /** The close codes of the reasons are those of SPEC section 1 (1007 invalid JSON, 1008 bad message, 1009 too big). */
  @Test
  void reasonsCarryTheSpecifiedCloseCodes() {
    // GIVEN the refusal reasons
    // WHEN their close codes are read
    // THEN they are the ones in the SPEC and RFC 6455
    assertThat(Reason.INVALID_JSON.closeCode()).isEqualTo(1007);
    assertThat(Reason.MISSING_FIELD.closeCode()).isEqualTo(1008);
    assertThat(Reason.INVALID_FIELD.closeCode()).isEqualTo(1008);
    assertThat(Reason.UNEXPECTED_MESSAGE.closeCode()).isEqualTo(1008);
    assertThat(Reason.TOO_BIG.closeCode()).isEqualTo(1009);
    assertThat(Reason.BINARY_FRAME.closeCode()).isEqualTo(1003);
  }

  /** An output of 64 KiB is accepted and one character more is refused with 1008. */
  @Test
  void outputIsLimitedTo64KiB() {
    // GIVEN results with outputs at and just over the limit
    String atLimit = result("y".repeat(64 * 1024));
    String overLimit = result("y".repeat(64 * 1024 + 1));

    // WHEN they are decoded
    AgentMessage ok = AgentMessage.decode(atLimit);
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> AgentMessage.decode(overLimit));

    // THEN only the one over the limit is refused, as an invalid field
    assertThat(((AgentMessage.Result) ok).output()).hasSize(64 * 1024);
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(Reason.INVALID_FIELD);
    assertThat(e.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
    assertThat(e.getMessage()).contains("output");
  }

  /** An unknown type decodes as Unknown (to be ignored and counted), with an over-long type name truncated. */
  @Test
  void unknownTypeIsNotAnError() {
    // GIVEN frames of types this version does not know, one with extra fields and one with a huge name
    String future = "{\"type\":\"telemetry\",\"cpu\":0.5,\"nested\":{\"a\":[1,2]}}";
    String longName = new JsonObject().put("type", "z".repeat(10_000)).encode();

    // WHEN they are decoded
    AgentMessage a = AgentMessage.decode(future);
    AgentMessage b = AgentMessage.decode(longName);

    // THEN both are Unknown; the name kept for counting is bounded
    assertThat(a).isEqualTo(new AgentMessage.Unknown("telemetry"));
    assertThat(b).isInstanceOf(AgentMessage.Unknown.class);
    assertThat(b.type()).hasSize(64);
  }

  /** Fields a newer agent adds to a known message are ignored, not refused. */
  @Test
  void extraFieldsAreIgnored() {
    // GIVEN an ack with a field this version does not know
    String frame = new JsonObject().put("type", "ack").put("taskId", TASK).put("queuedBehind", 3)
        .put("extra", new JsonArray().add(1)).encode();

    // WHEN it is decoded
    AgentMessage msg = AgentMessage.decode(frame);

    // THEN it is the plain ack
    assertThat(msg).isEqualTo(new AgentMessage.Ack(TASK));
  }

  private static String result(String output) {
    return new JsonObject().put("type", "result").put("taskId", TASK).put("status", "failed").put("output", output)
        .encode();
  }
}
