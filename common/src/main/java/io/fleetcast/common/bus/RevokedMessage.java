package io.fleetcast.common.bus;

import io.vertx.core.json.JsonObject;

/** {@link Addresses#REVOKED}: this agent's credential was revoked; close it and refuse it from now on. */
public record RevokedMessage(String agentId) {
  public static final BusCodec<RevokedMessage> CODEC =
      new BusCodec<>("fleetcast.revoked", RevokedMessage.class, RevokedMessage::toJson, RevokedMessage::fromJson);

  public JsonObject toJson() {
    return new JsonObject().put("agentId", agentId);
  }

  public static RevokedMessage fromJson(JsonObject json) {
    return new RevokedMessage(json.getString("agentId"));
  }
}
