package io.fleetcast.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A message a node sends to an agent (SPEC section 1, "Node -> agent"). */
public sealed interface NodeMessage {

  String type();

  JsonObject toJson();

  default String encode() {
    return toJson().encode();
  }

  static NodeMessage decode(String frame) {
    JsonObject json = Json.parseObject(frame);
    Fields f = new Fields(json, "message");
    String type = f.string("type");
    return switch (type) {
      case MessageType.WELCOME -> new Welcome(f.string("nodeId"), f.optInt("heartbeatSeconds") == null ? 30
          : f.optInt("heartbeatSeconds"), f.optInstant("serverTime"));
      case MessageType.TASK -> Task.fromJson(json);
      case MessageType.RESULT_ACK -> new ResultAck(f.id("taskId"), f.optBool("stored", true), f.optString("error", null));
      case MessageType.CANCEL -> Cancel.fromJson(json);
      case MessageType.WAKE_RELAY -> WakeRelay.fromJson(json);
      case MessageType.RECONNECT -> new Reconnect(f.optString("url", null), f.optLong("afterMillis", 0));
      case MessageType.WATCH_OUTPUT -> new WatchOutput(f.id("taskId"), (int) Math.max(0, Math.min(WatchOutput.MAX_SECONDS,
          f.optLong("seconds", 30))));
      default -> new Unknown(type);
    };
  }

  /** Send {@link AgentMessage.Output} chunks of this running task for {@code seconds} (0 = stop). */
  record WatchOutput(String taskId, int seconds) implements NodeMessage {
    public static final int MAX_SECONDS = 120;

    public String type() {
      return MessageType.WATCH_OUTPUT;
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("taskId", taskId).put("seconds", seconds);
    }
  }

  record Welcome(String nodeId, int heartbeatSeconds, Instant serverTime) implements NodeMessage {
    public String type() {
      return MessageType.WELCOME;
    }

    public JsonObject toJson() {
      return new JsonObject().put("type", type()).put("nodeId", nodeId).put("heartbeatSeconds", heartbeatSeconds)
          .put("serverTime", serverTime == null ? null : serverTime.toString());
    }
  }

  /**
   * Run this. {@code scope} and {@code keyId} extend the contract: they name what the
   * signature covers besides the task itself (see the README security section). {@code release}
   * (not covered by the task signature; it has its own) is the gateway's short-lived signed
   * permission to start it now, one per dispatch message.
   */
  record Task(String taskId, String rolloutId, int step, String kind, JsonObject spec, Instant deadline,
      Instant notBefore, boolean requireConsent, JsonObject scope, String keyId, String signature, TaskRelease release)
      implements NodeMessage {

    public Task(String taskId, String rolloutId, int step, String kind, JsonObject spec, Instant deadline,
        Instant notBefore, boolean requireConsent, JsonObject scope, String keyId, String signature) {
      this(taskId, rolloutId, step, kind, spec, deadline, notBefore, requireConsent, scope, keyId, signature, null);
    }

    public String type() {
      return MessageType.TASK;
    }

    static Task fromJson(JsonObject json) {
      Fields f = new Fields(json, "task");
      Integer step = f.optInt("step");
      JsonObject release = f.optObject("release");
      return new Task(f.id("taskId"), f.id("rolloutId"), step == null ? 0 : step, f.string("kind"),
          f.optObject("spec") == null ? new JsonObject() : f.optObject("spec"), f.instant("deadline"),
          f.optInstant("notBefore"), f.optBool("requireConsent", false), f.optObject("scope"),
          f.optString("keyId", null), f.optString("signature", null),
          release == null ? null : TaskRelease.fromJson(release));
    }

    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("type", type()).put("taskId", taskId).put("rolloutId", rolloutId)
          .put("step", step).put("kind", kind).put("spec", spec).put("deadline", deadline.toString());
      if (notBefore != null) {
        j.put("notBefore", notBefore.toString());
      }
      j.put("requireConsent", requireConsent);
      if (scope != null) {
        j.put("scope", scope);
      }
      if (keyId != null) {
        j.put("keyId", keyId);
      }
      if (signature != null) {
        j.put("signature", signature);
      }
      if (release != null) {
        j.put("release", release.toJson());
      }
      return j;
    }

    public Task withSignature(String keyId, String signature) {
      return new Task(taskId, rolloutId, step, kind, spec, deadline, notBefore, requireConsent, scope, keyId, signature,
          release);
    }

    public Task withRelease(TaskRelease r) {
      return new Task(taskId, rolloutId, step, kind, spec, deadline, notBefore, requireConsent, scope, keyId, signature, r);
    }
  }

  /**
   * The result is durably stored (or, with {@code stored=false}, refused for good with
   * {@code error}); either way the agent may forget it.
   */
  record ResultAck(String taskId, boolean stored, String error) implements NodeMessage {
    public ResultAck(String taskId) {
      this(taskId, true, null);
    }

    public String type() {
      return MessageType.RESULT_ACK;
    }

    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("type", type()).put("taskId", taskId);
      if (!stored) {
        j.put("stored", false).put("error", error);
      }
      return j;
    }
  }

  /**
   * Stop this task (or, if it has not arrived yet, never start it). Signed by the gateway
   * ({@code issuedAt}, {@code keyId}, {@code signature}: Ed25519 over {@code fleetcast-cancel-v1},
   * task id and issuedAt), so that a node cannot forge one to pre-empt a task; agents ignore an
   * unsigned or forged cancel once they hold signing keys.
   */
  record Cancel(String taskId, Instant issuedAt, String keyId, String signature) implements NodeMessage {
    public Cancel(String taskId) {
      this(taskId, null, null, null);
    }

    public String type() {
      return MessageType.CANCEL;
    }

    static byte[] payload(String taskId, Instant issuedAt) {
      return ("fleetcast-cancel-v1\n" + taskId + "\n" + issuedAt).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static Cancel sign(String taskId, Instant issuedAt, String keyId, java.security.PrivateKey key) {
      return new Cancel(taskId, issuedAt, keyId, TaskRelease.Ed25519.sign(payload(taskId, issuedAt), key));
    }

    public boolean verify(java.security.PublicKey key) {
      return issuedAt != null && TaskRelease.Ed25519.verify(payload(taskId, issuedAt), signature, key);
    }

    static Cancel fromJson(JsonObject json) {
      Fields f = new Fields(json, "cancel");
      return new Cancel(f.id("taskId"), f.optInstant("issuedAt"), f.optString("keyId", null),
          f.optString("signature", null));
    }

    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("type", type()).put("taskId", taskId);
      if (issuedAt != null) {
        j.put("issuedAt", issuedAt.toString());
      }
      if (keyId != null) {
        j.put("keyId", keyId);
      }
      if (signature != null) {
        j.put("signature", signature);
      }
      return j;
    }
  }

  record WakeTarget(String mac, String broadcast, int port) {}

  record WakeRelay(String requestId, List<WakeTarget> targets) implements NodeMessage {
    public String type() {
      return MessageType.WAKE_RELAY;
    }

    static WakeRelay fromJson(JsonObject json) {
      Fields f = new Fields(json, "wakeRelay");
      List<WakeTarget> targets = new ArrayList<>();
      for (Object o : f.array("targets")) {
        if (!(o instanceof JsonObject t)) {
          throw f.invalid("targets", "must hold objects");
        }
        Fields tf = new Fields(t, "wakeRelay.targets");
        Integer port = tf.optInt("port");
        targets.add(new WakeTarget(tf.string("mac"), tf.optString("broadcast", null), port == null ? 9 : port));
      }
      return new WakeRelay(f.id("requestId"), targets);
    }

    public JsonObject toJson() {
      JsonArray arr = new JsonArray();
      for (WakeTarget t : targets) {
        JsonObject o = new JsonObject().put("mac", t.mac()).put("port", t.port());
        if (t.broadcast() != null) {
          o.put("broadcast", t.broadcast());
        }
        arr.add(o);
      }
      return new JsonObject().put("type", type()).put("requestId", requestId).put("targets", arr);
    }
  }

  record Reconnect(String url, long afterMillis) implements NodeMessage {
    public String type() {
      return MessageType.RECONNECT;
    }

    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("type", type()).put("afterMillis", afterMillis);
      if (url != null) {
        j.put("url", url);
      }
      return j;
    }
  }

  record Unknown(String type) implements NodeMessage {
    public JsonObject toJson() {
      return new JsonObject().put("type", type);
    }
  }
}
