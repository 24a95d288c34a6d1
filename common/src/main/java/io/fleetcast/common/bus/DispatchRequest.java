package io.fleetcast.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Addresses#dispatch}: write this pre-encoded frame (signed and encoded once by the gateway)
 * to each of these agents' sockets. One message per node and chunk, never one per agent.
 * {@code part} says whether more chunks of the same fan-out follow; on the wire it is
 * {@code "more": true}, absent for the last part (what a sender without the field means).
 */
public record DispatchRequest(String type, String frame, List<String> agents, FanOutPart part) {
  public static final BusCodec<DispatchRequest> CODEC =
      new BusCodec<>("fleetcast.dispatch", DispatchRequest.class, DispatchRequest::toJson, DispatchRequest::fromJson);

  public DispatchRequest {
    agents = List.copyOf(agents);
    part = part == null ? FanOutPart.LAST : part;
  }

  /** A message that is a whole fan-out by itself (cancels, wake relays, single sends). */
  public DispatchRequest(String type, String frame, List<String> agents) {
    this(type, frame, agents, FanOutPart.LAST);
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("type", type).put("frame", frame)
        .put("agents", new JsonArray(new ArrayList<>(agents)));
    return part == FanOutPart.MORE_TO_COME ? j.put("more", true) : j;
  }

  public static DispatchRequest fromJson(JsonObject json) {
    List<String> agents = new ArrayList<>();
    json.getJsonArray("agents", new JsonArray()).forEach(o -> agents.add((String) o));
    return new DispatchRequest(json.getString("type"), json.getString("frame"), agents,
        json.getBoolean("more", false) ? FanOutPart.MORE_TO_COME : FanOutPart.LAST);
  }
}
