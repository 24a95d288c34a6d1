package io.fleetcast.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A message an agent sends to its node (SPEC section 1, "Agent -> node"). */
public sealed interface AgentMessage {

  String type();

  JsonObject toJson();

  default String encode() {
    return toJson().encode();
  }

  /**
   * Parses one text frame. Unknown types come back as {@link Unknown} so that the receiver
   * can ignore and count them; everything malformed throws {@link ProtocolException}.
   */
  static AgentMessage decode(String frame) {
    JsonObject json = Json.parseObject(frame);
    Fields f = new Fields(json, "message");
    String type = f.string("type");
    return switch (type) {
      case MessageType.HELLO -> Hello.fromJson(json);
      case MessageType.FACTS -> new FactsChanged(Facts.fromJson(new Fields(json, "facts").object("facts")));
      case MessageType.ACK -> new Ack(new Fields(json, "ack").id("taskId"));
      case MessageType.PROGRESS -> Progress.fromJson(json);
      case MessageType.RESULT -> Result.fromJson(json);
      case MessageType.WAKE_DONE -> WakeDone.fromJson(json);
      case MessageType.OUTPUT -> Output.fromJson(json);
      default -> new Unknown(type.length() > 64 ? type.substring(0, 64) : type);
    };
  }

  record Hello(String agentId, String version, Facts facts) implements AgentMessage {
    public String type() {
      return MessageType.HELLO;
    }

    static Hello fromJson(JsonObject json) {
      Fields f = new Fields(json, "hello");
      return new Hello(f.id("agentId"), f.optString("version", ""), Facts.fromJson(f.optObject("facts")));
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("agentId", agentId).put("version", version)
          .put("facts", facts.toJson());
    }
  }

  record FactsChanged(Facts facts) implements AgentMessage {
    public String type() {
      return MessageType.FACTS;
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("facts", facts.toJson());
    }
  }

  record Ack(String taskId) implements AgentMessage {
    public String type() {
      return MessageType.ACK;
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("taskId", taskId);
    }
  }

  record Progress(String taskId, int percent, String message) implements AgentMessage {
    public String type() {
      return MessageType.PROGRESS;
    }

    static Progress fromJson(JsonObject json) {
      Fields f = new Fields(json, "progress");
      Integer pct = f.optInt("percent");
      if (pct != null && (pct < 0 || pct > 100)) {
        throw f.invalid("percent", "must be 0-100");
      }
      return new Progress(f.id("taskId"), pct == null ? 0 : pct, f.optString("message", ""));
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("taskId", taskId).put("percent", percent)
          .put("message", message);
    }
  }

  /**
   * The final outcome of a task. {@code output} is the tail of stdout+stderr; {@code error}
   * (optional, at most 1 KiB) says in a few words why a task did not succeed when the exit code
   * does not (sha256 mismatch, command not found, timed out): it becomes the target's reason.
   */
  record Result(String taskId, TaskStatus status, Integer exitCode, String output, Instant startedAt,
      Instant finishedAt, String error) implements AgentMessage {
    public static final int MAX_OUTPUT_CHARS = 64 * 1024;
    public static final int MAX_ERROR_CHARS = 1024;

    public Result(String taskId, TaskStatus status, Integer exitCode, String output, Instant startedAt,
        Instant finishedAt) {
      this(taskId, status, exitCode, output, startedAt, finishedAt, null);
    }

    public String type() {
      return MessageType.RESULT;
    }

    /** The same result with another output (e.g. cut to fit a frame). */
    public Result withOutput(String newOutput) {
      return new Result(taskId, status, exitCode, newOutput, startedAt, finishedAt, error);
    }

    static Result fromJson(JsonObject json) {
      Fields f = new Fields(json, "result");
      String taskId = f.id("taskId");
      String statusText = f.string("status");
      TaskStatus status = TaskStatus.fromWire(statusText)
          .orElseThrow(() -> f.invalid("status", "is not one of succeeded, failed, timedOut, declined, cancelled, rejected"));
      String output = f.optString("output", "");
      if (output.length() > MAX_OUTPUT_CHARS) {
        throw f.invalid("output", "is longer than 64 KiB");
      }
      String error = f.optString("error", null);
      if (error != null && error.length() > MAX_ERROR_CHARS) {
        throw f.invalid("error", "is longer than 1 KiB");
      }
      return new Result(taskId, status, f.optInt("exitCode"), output, f.optInstant("startedAt"),
          f.optInstant("finishedAt"), error);
    }

    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("type", type()).put("taskId", taskId).put("status", status.wire())
          .put("exitCode", exitCode).put("output", output);
      if (startedAt != null) {
        j.put("startedAt", startedAt.toString());
      }
      if (finishedAt != null) {
        j.put("finishedAt", finishedAt.toString());
      }
      if (error != null) {
        j.put("error", error);
      }
      return j;
    }
  }

  record WakeFailure(String mac, String error) {}

  record WakeDone(String requestId, List<String> sent, List<WakeFailure> failed) implements AgentMessage {
    public String type() {
      return MessageType.WAKE_DONE;
    }

    static WakeDone fromJson(JsonObject json) {
      Fields f = new Fields(json, "wakeDone");
      List<WakeFailure> failed = new ArrayList<>();
      JsonArray arr = f.optArray("failed");
      if (arr != null) {
        for (Object o : arr) {
          if (!(o instanceof JsonObject fo)) {
            throw f.invalid("failed", "must hold objects");
          }
          Fields ff = new Fields(fo, "wakeDone.failed");
          failed.add(new WakeFailure(ff.string("mac"), ff.optString("error", "")));
        }
      }
      return new WakeDone(f.id("requestId"), f.optStrings("sent"), failed);
    }

    public JsonObject toJson() {
      JsonArray failedJson = new JsonArray();
      failed.forEach(w -> failedJson.add(new JsonObject().put("mac", w.mac()).put("error", w.error())));
      return new JsonObject().put("type", type()).put("requestId", requestId).put("sent", new JsonArray(sent))
          .put("failed", failedJson);
    }
  }

  /** A type this version does not know; ignored for forward compatibility. */
  /**
   * A chunk of a running task's output while it is watched: relayed to the watchers, never stored
   * (the result carries the output that is kept). {@code seq} counts chunks of the task from 0.
   */
  record Output(String taskId, long seq, String data) implements AgentMessage {
    /** Most characters in one chunk. */
    public static final int MAX_CHUNK = 4096;

    public String type() {
      return MessageType.OUTPUT;
    }

    static Output fromJson(JsonObject json) {
      Fields f = new Fields(json, "output");
      String data = f.string("data");
      if (data.length() > MAX_CHUNK) {
        throw f.invalid("data", "at most " + MAX_CHUNK + " characters per chunk");
      }
      return new Output(f.id("taskId"), f.optLong("seq", 0), data);
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("taskId", taskId).put("seq", seq).put("data", data);
    }
  }

  record Unknown(String type) implements AgentMessage {
    public JsonObject toJson() {
      return new JsonObject().put("type", type);
    }
  }
}
