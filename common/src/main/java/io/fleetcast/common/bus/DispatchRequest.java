package io.fleetcast.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Addresses#dispatch}: write this pre-encoded frame (signed and encoded once by the gateway)
 * to each of these agents' sockets. One message per node and chunk, never one per agent.
 */
public record DispatchRequest(String type, String frame, List<String> agents) {
  public static final BusCodec<DispatchRequest> CODEC =
      new BusCodec<>("fleetcast.dispatch", DispatchRequest.class, DispatchRequest::toJson, DispatchRequest::fromJson);

  public DispatchRequest {
    agents = List.copyOf(agents);
  }

  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("frame", frame).put("agents", new JsonArray(new ArrayList<>(agents)));
  }

  public static DispatchRequest fromJson(JsonObject json) {
    List<String> agents = new ArrayList<>();
    json.getJsonArray("agents", new JsonArray()).forEach(o -> agents.add((String) o));
    return new DispatchRequest(json.getString("type"), json.getString("frame"), agents);
  }
}
