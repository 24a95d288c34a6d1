package io.fleetcast.common.bus;

import io.fleetcast.protocol.AgentMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** {@link Addresses#WAKE_DONE}: relay agent {@code agentId} reported the outcome of a wakeRelay. */
public record WakeDoneMessage(String agentId, AgentMessage.WakeDone report) {
  public static final BusCodec<WakeDoneMessage> CODEC =
      new BusCodec<>("fleetcast.wakeDone", WakeDoneMessage.class, WakeDoneMessage::toJson, WakeDoneMessage::fromJson);

  public JsonObject toJson() {
    return report.toJson().put("agentId", agentId);
  }

  public static WakeDoneMessage fromJson(JsonObject json) {
    List<AgentMessage.WakeFailure> failed = new ArrayList<>();
    for (Object o : json.getJsonArray("failed", new JsonArray())) {
      JsonObject f = (JsonObject) o;
      failed.add(new AgentMessage.WakeFailure(f.getString("mac"), f.getString("error", "")));
    }
    List<String> sent = new ArrayList<>();
    json.getJsonArray("sent", new JsonArray()).forEach(s -> sent.add((String) s));
    return new WakeDoneMessage(json.getString("agentId"),
        new AgentMessage.WakeDone(json.getString("requestId"), List.copyOf(sent), List.copyOf(failed)));
  }
}
