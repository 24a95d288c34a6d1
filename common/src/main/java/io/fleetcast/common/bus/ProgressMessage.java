package io.fleetcast.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** {@link Addresses#PROGRESS}: targets of these rollouts changed state (or the rollout itself did). */
public record ProgressMessage(List<UUID> rollouts) {
  public static final BusCodec<ProgressMessage> CODEC =
      new BusCodec<>("fleetcast.progress", ProgressMessage.class, ProgressMessage::toJson, ProgressMessage::fromJson);

  public ProgressMessage {
    rollouts = List.copyOf(rollouts);
  }

  public static ProgressMessage of(Collection<UUID> rollouts) {
    return new ProgressMessage(List.copyOf(rollouts));
  }

  public static ProgressMessage of(UUID rollout) {
    return new ProgressMessage(List.of(rollout));
  }

  public JsonObject toJson() {
    return new JsonObject().put("rollouts", Uuids.toJson(rollouts));
  }

  public static ProgressMessage fromJson(JsonObject json) {
    return new ProgressMessage(Uuids.fromJson(json.getJsonArray("rollouts", new JsonArray())));
  }
}
