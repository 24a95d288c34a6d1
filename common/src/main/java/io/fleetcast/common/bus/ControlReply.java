package io.fleetcast.common.bus;

import io.vertx.core.json.JsonObject;

/** What a node answers to a {@link ControlOp}. */
public sealed interface ControlReply {

  static BusCodec<ControlReply> codec(Class<? extends ControlReply> type) {
    return new BusCodec<>("fleetcast.controlReply." + type.getSimpleName(), type, ControlReply::toJson, ControlReply::fromJson);
  }

  JsonObject toJson();

  /** Whether the operation found something to act on (the session closed, the watch request sent). */
  record Done(boolean done) implements ControlReply {
    public JsonObject toJson() {
      return new JsonObject().put("reply", "done").put("done", done);
    }
  }

  /** The node's drain state; {@code remaining} (agents still connected) is null once draining stopped. */
  record DrainStatus(boolean draining, Integer remaining) implements ControlReply {
    /** The JSON the cluster API answers with (the node's id added there). */
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("draining", draining);
      if (remaining != null) {
        json.put("remaining", remaining);
      }
      return json;
    }
  }

  static ControlReply fromJson(JsonObject json) {
    if ("done".equals(json.getString("reply"))) {
      return new Done(json.getBoolean("done", false));
    }
    return new DrainStatus(json.getBoolean("draining", false), json.getInteger("remaining"));
  }
}
