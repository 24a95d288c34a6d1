package io.fleetcast.load.agent;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How a generator process runs its agents.
 *
 * @param urls node agent URLs; agent {@code i} starts on {@code urls[i % urls.size()]}
 * @param sources local source addresses (a range in 127.0.0.0/8)
 * @param taskMinMillis shortest simulated run time of a task (0 = answer at once)
 * @param taskMaxMillis longest simulated run time of a task
 * @param ackGraceMillis a task finishing within this time is answered by its result alone (agent-lite's
 *     {@code --ack-grace}); a longer one is acked when it ends, 0 acks every task at once
 */
public record FleetConfig(List<String> urls, String sources, long backoffBaseMillis, long backoffCapMillis,
    int taskMinMillis, int taskMaxMillis, int ioThreads, int handshakeTimeoutMillis, int ackGraceMillis) {

  public JsonObject toJson() {
    return new JsonObject().put("urls", new io.vertx.core.json.JsonArray(urls)).put("sources", sources)
        .put("backoffBaseMillis", backoffBaseMillis).put("backoffCapMillis", backoffCapMillis)
        .put("taskMinMillis", taskMinMillis).put("taskMaxMillis", taskMaxMillis).put("ioThreads", ioThreads)
        .put("handshakeTimeoutMillis", handshakeTimeoutMillis).put("ackGraceMillis", ackGraceMillis);
  }

  public static FleetConfig fromJson(JsonObject j) {
    return new FleetConfig(j.getJsonArray("urls").stream().map(String::valueOf).toList(), j.getString("sources"),
        j.getLong("backoffBaseMillis", 1000L), j.getLong("backoffCapMillis", 60_000L),
        j.getInteger("taskMinMillis", 0), j.getInteger("taskMaxMillis", 0), j.getInteger("ioThreads", 1),
        j.getInteger("handshakeTimeoutMillis", 10_000), j.getInteger("ackGraceMillis", 0));
  }
}
