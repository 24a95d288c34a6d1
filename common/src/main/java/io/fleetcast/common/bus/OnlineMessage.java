package io.fleetcast.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** {@link Addresses#ONLINE}: these agents came online on node {@code nodeId} (their presence is stored). */
public record OnlineMessage(String nodeId, List<UUID> agents) {
  public static final BusCodec<OnlineMessage> CODEC =
      new BusCodec<>("fleetcast.online", OnlineMessage.class, OnlineMessage::toJson, OnlineMessage::fromJson);

  public OnlineMessage {
    agents = List.copyOf(agents);
  }

  public static OnlineMessage of(String nodeId, Collection<UUID> agents) {
    return new OnlineMessage(nodeId, List.copyOf(agents));
  }

  public JsonObject toJson() {
    return new JsonObject().put("nodeId", nodeId).put("agents", Uuids.toJson(agents));
  }

  public static OnlineMessage fromJson(JsonObject json) {
    return new OnlineMessage(json.getString("nodeId"), Uuids.fromJson(json.getJsonArray("agents", new JsonArray())));
  }
}
