package io.fleetcast.gateway.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

/** Polling helpers for end-to-end tests: wait for a condition, for a rollout state; build a rollout body. */
public final class Waits {
  private Waits() {}

  public static <T> T until(Supplier<T> probe, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("condition not met within " + timeout);
  }

  public static JsonObject rolloutState(Api api, String rolloutId, Set<String> states, Duration timeout) {
    JsonObject[] last = {null};
    try {
      return until(() -> {
        JsonObject r = api.get("/api/v1/rollouts/" + rolloutId).json();
        last[0] = r;
        return states.contains(r.getString("state")) ? r : null;
      }, timeout);
    } catch (AssertionError e) {
      throw new AssertionError("rollout not in " + states + " within " + timeout + "; last: " + last[0]);
    }
  }

  /** Waits until a rollout counts {@code n} targets: targets are resolved in chunks after the 201. */
  public static JsonObject targetsResolved(Api api, String rolloutId, int n, Duration timeout) {
    return until(() -> {
      JsonObject r = api.get("/api/v1/rollouts/" + rolloutId).json();
      return r.getInteger("targets", -1) == n ? r : null;
    }, timeout);
  }

  public static JsonObject execRollout(JsonObject targets) {
    return new JsonObject().put("name", "test " + Instant.now())
        .put("steps", new JsonArray().add(new JsonObject().put("kind", "exec")
            .put("spec", new JsonObject().put("command", "echo").put("args", new JsonArray().add("hi")))))
        .put("targets", targets);
  }
}
