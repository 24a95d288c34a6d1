package io.fleetcast.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A node's answer to a {@link DispatchRequest}: how many sockets got the frame, which agents it does not hold. */
public record DispatchReply(int delivered, List<String> missing) {
  public static final BusCodec<DispatchReply> CODEC =
      new BusCodec<>("fleetcast.dispatch.reply", DispatchReply.class, DispatchReply::toJson, DispatchReply::fromJson);

  public DispatchReply {
    missing = List.copyOf(missing);
  }

  public JsonObject toJson() {
    return new JsonObject().put("delivered", delivered).put("missing", new JsonArray(new ArrayList<>(missing)));
  }

  public static DispatchReply fromJson(JsonObject json) {
    List<String> missing = new ArrayList<>();
    json.getJsonArray("missing", new JsonArray()).forEach(o -> missing.add((String) o));
    return new DispatchReply(json.getInteger("delivered", 0), missing);
  }
}
