package io.fleetcast.load.report;

import io.vertx.core.json.JsonObject;

/**
 * CPU time per unit of work (a delivered task, a stored result), by role, from a trial's CPU
 * window: the measured cost the scale plan rests on. Rounded to the microsecond.
 */
public final class CpuPer {
  private CpuPer() {}

  /** {@code cpu}: a {@code Contention} window ({@code wallSeconds}, {@code runBusyCoresByRole}). */
  public static JsonObject unit(JsonObject cpu, long units) {
    JsonObject out = new JsonObject();
    if (cpu == null || units <= 0) {
      return out;
    }
    double wall = cpu.getDouble("wallSeconds", 0.0);
    JsonObject byRole = cpu.getJsonObject("runBusyCoresByRole", new JsonObject());
    double total = 0;
    for (String role : byRole.fieldNames()) {
      double micros = byRole.getDouble(role) * wall * 1e6 / units;
      total += micros;
      out.put(role, Math.round(micros));
    }
    return out.put("total", Math.round(total));
  }
}
