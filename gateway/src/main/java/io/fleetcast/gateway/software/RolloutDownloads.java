package io.fleetcast.gateway.software;

import io.fleetcast.common.rollout.TargetState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/rollouts/{id}/downloads}: per rollout, bytes agents got from the origin,
 * from depots, from peers and from their own cache; per running target the last download percent
 * its progress frames reported; per finished target of each install step the outcome with
 * {@code rebootRequired} (decided from the exit code and the signed program, not
 * from anything the agent claims).
 */
public final class RolloutDownloads {
  private static final int MAX_TARGETS = 10_000;

  private final Pool pool;

  public RolloutDownloads(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonObject> report(UUID rolloutId, int limit) {
    return finished(rolloutId, limit).compose(report -> pool.preparedQuery(
            "SELECT agent_id::text, step, progress FROM rollout_targets WHERE rollout_id = $1 AND state = "
                + TargetState.RUNNING.sql() + " "
                + "AND progress IS NOT NULL ORDER BY agent_id LIMIT $2")
        .execute(Tuple.of(rolloutId, Math.min(limit, MAX_TARGETS)))
        .map(rows -> {
          JsonArray running = report.getJsonArray("inProgress");
          rows.forEach(r -> running.add(new JsonObject().put("agentId", r.getString(0)).put("step", r.getInteger(1))
              .put("percent", (int) r.getShort(2))));
          return report;
        }));
  }

  private Future<JsonObject> finished(UUID rolloutId, int limit) {
    return pool.preparedQuery("SELECT r.agent_id::text, r.step, r.status, r.exit_code, r.output, t.spec FROM results r "
            + "JOIN tasks t ON t.rollout_id = r.rollout_id AND t.step = r.step "
            + "WHERE r.rollout_id = $1 AND t.kind = 'install' AND t.spec ? 'sha256' ORDER BY r.stored_at")
        .execute(Tuple.of(rolloutId))
        .map(rows -> {
          ContentTally total = ContentTally.NONE;
          JsonArray targets = new JsonArray();
          int n = 0;
          for (Row r : rows) {
            ContentTally t = ContentTally.parse(r.getString(4));
            total = total.plus(t);
            if (n++ < Math.min(limit, MAX_TARGETS)) {
              targets.add(new JsonObject().put("agentId", r.getString(0)).put("step", r.getInteger(1))
                  .put("status", r.getString(2)).put("exitCode", r.getInteger(3)).put("percent", 100)
                  .put("source", t.source())
                  .put("rebootRequired", rebootRequired(r.getString(2), r.getInteger(3), r.getJsonObject(5))));
            }
          }
          return new JsonObject().put("rolloutId", rolloutId.toString()).put("finished", n)
              .put("inProgress", new JsonArray())
              .put("bytes", new JsonObject().put("origin", total.origin()).put("depots", total.depot())
                  .put("peers", total.peer()).put("cache", total.cache()))
              .put("targets", targets);
        });
  }

  /** Pure: whether a finished install step leaves the machine needing a reboot. */
  static boolean rebootRequired(String status, Integer exitCode, JsonObject spec) {
    if (!"succeeded".equals(status) || spec == null || Boolean.TRUE.equals(spec.getBoolean("deliverOnly"))) {
      return false;
    }
    String reboot = spec.getString("reboot", "ifRequired");
    if ("always".equals(reboot)) {
      return true;
    }
    if ("never".equals(reboot) || exitCode == null) {
      return false;
    }
    JsonArray codes = spec.getJsonArray("rebootExitCodes", new JsonArray(List.of(3010, 1641)));
    return codes.contains(exitCode);
  }
}
