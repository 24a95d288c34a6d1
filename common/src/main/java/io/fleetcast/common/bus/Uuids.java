package io.fleetcast.common.bus;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** UUID lists as the JSON string arrays message records carry on the wire. */
final class Uuids {
  private Uuids() {}

  static JsonArray toJson(List<UUID> ids) {
    JsonArray a = new JsonArray();
    ids.forEach(id -> a.add(id.toString()));
    return a;
  }

  static List<UUID> fromJson(JsonArray a) {
    List<UUID> ids = new ArrayList<>(a.size());
    for (Object o : a) {
      ids.add(UUID.fromString((String) o));
    }
    return ids;
  }
}
