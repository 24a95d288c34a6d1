package io.fleetcast.common.health;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Named readiness conditions. {@code /health/ready} is 200 only when all of them hold:
 * schema migrated, cluster joined, listeners bound, and whatever a component adds.
 */
public final class Readiness {
  private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();

  public void add(String name, BooleanSupplier check) {
    checks.put(name, check);
  }

  /** A condition that starts false and is set once, e.g. "listeners bound". */
  public Runnable flag(String name) {
    AtomicBoolean done = new AtomicBoolean();
    checks.put(name, done::get);
    return () -> done.set(true);
  }

  public boolean ready() {
    return !checks.isEmpty() && checks.values().stream().allMatch(BooleanSupplier::getAsBoolean);
  }

  public JsonObject report() {
    JsonObject j = new JsonObject();
    checks.forEach((k, v) -> j.put(k, v.getAsBoolean() ? "up" : "down"));
    return new JsonObject().put("status", ready() ? "up" : "down").put("checks", j);
  }
}
