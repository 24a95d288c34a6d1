package io.fleetcast.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * {@link Addresses#control}: the operations a node carries out for the cluster. Every record
 * travels with {@link #CODEC} (the {@code op} field tells them apart on the wire); the node
 * answers each with the reply type named on it.
 */
public sealed interface ControlOp {

  /** The codec of every operation (one per record class, as Vert.x picks a default codec by class). */
  static BusCodec<ControlOp> codec(Class<? extends ControlOp> type) {
    return new BusCodec<>("fleetcast.control." + type.getSimpleName(), type, ControlOp::toJson, ControlOp::fromJson);
  }

  JsonObject toJson();

  /** Close the agent's older session on this node (it reconnected elsewhere). Reply: {@link ControlReply.Done} (closed). */
  record Supersede(String agentId, String sessionId) implements ControlOp {
    public JsonObject toJson() {
      return new JsonObject().put("op", "supersede").put("agentId", agentId).put("sessionId", sessionId);
    }
  }

  /** Send this node's agents reconnect, {@code perSecond} at a time, and stop taking new ones. Reply: {@link ControlReply.DrainStatus}. */
  record Drain(int perSecond) implements ControlOp {
    public JsonObject toJson() {
      return new JsonObject().put("op", "drain").put("perSecond", perSecond);
    }
  }

  /** Stop draining. Reply: {@link ControlReply.DrainStatus}. */
  record Undrain() implements ControlOp {
    public JsonObject toJson() {
      return new JsonObject().put("op", "undrain");
    }
  }

  /** Ask the agent to stream the task's output for {@code seconds} (0 stops it). Reply: {@link ControlReply.Done} (sent). */
  record WatchOutput(String agentId, String taskId, int seconds) implements ControlOp {
    public JsonObject toJson() {
      return new JsonObject().put("op", "watchOutput").put("agentId", agentId).put("taskId", taskId).put("seconds", seconds);
    }
  }

  static ControlOp fromJson(JsonObject json) {
    String op = json.getString("op", "");
    return switch (op) {
      case "supersede" -> new Supersede(json.getString("agentId"), json.getString("sessionId"));
      case "drain" -> new Drain(json.getInteger("perSecond", 200));
      case "undrain" -> new Undrain();
      case "watchOutput" -> new WatchOutput(json.getString("agentId"), json.getString("taskId"), json.getInteger("seconds", 30));
      default -> throw new IllegalArgumentException("unknown control op '" + op + "'");
    };
  }
}
