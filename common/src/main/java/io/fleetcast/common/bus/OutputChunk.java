package io.fleetcast.common.bus;

import io.vertx.core.json.JsonObject;

/** {@link Addresses#output}: a chunk of a running task's output, relayed while a gateway watches. */
public record OutputChunk(String taskId, long seq, String data) {
  public static final BusCodec<OutputChunk> CODEC =
      new BusCodec<>("fleetcast.output", OutputChunk.class, OutputChunk::toJson, OutputChunk::fromJson);

  public JsonObject toJson() {
    return new JsonObject().put("taskId", taskId).put("seq", seq).put("data", data);
  }

  public static OutputChunk fromJson(JsonObject json) {
    return new OutputChunk(json.getString("taskId"), json.getLong("seq", 0L), json.getString("data"));
  }
}
