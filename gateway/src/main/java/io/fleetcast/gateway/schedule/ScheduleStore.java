package io.fleetcast.gateway.schedule;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Schedules in Postgres. Claiming a firing is a compare-and-set on next_fire_at: one gateway wins. */
public final class ScheduleStore {

  /** A schedule as the firer needs it. */
  public record Due(UUID id, String name, String cron, String timeZone, JsonObject template, int expiresAfterMinutes,
      Instant nextFireAt) {}

  private final Pool pool;

  public ScheduleStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** A schedule as created: its rollout template, the expiry its rollouts get and when it first fires. */
  public record NewSchedule(UUID id, String name, CronSchedule cron, JsonObject template, int expiresAfterMinutes,
      Instant next, String createdBy) {}

  public Future<Void> insert(SqlClient tx, NewSchedule s) {
    return tx.preparedQuery("INSERT INTO schedules (id, name, cron, time_zone, template, expires_after_minutes, "
            + "next_fire_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.tuple().addValue(s.id()).addValue(s.name()).addValue(s.cron().expression())
            .addValue(s.cron().zone().getId()).addValue(s.template()).addValue(s.expiresAfterMinutes())
            .addValue(s.next().atOffset(ZoneOffset.UTC)).addValue(s.createdBy()))
        .mapEmpty();
  }

  public Future<List<Due>> due(int limit) {
    return pool.preparedQuery("SELECT id, name, cron, time_zone, template, expires_after_minutes, next_fire_at "
            + "FROM schedules WHERE next_fire_at <= now() ORDER BY next_fire_at LIMIT $1")
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<Due> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Due(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3), r.getJsonObject(4),
                r.getInteger(5), r.getOffsetDateTime(6).toInstant()));
          }
          return out;
        });
  }

  /** Moves the schedule from {@code due} to {@code next}; false when another gateway did it first. */
  public Future<Boolean> claim(SqlClient tx, UUID id, Instant due, Instant next) {
    return tx.preparedQuery("UPDATE schedules SET next_fire_at = $3, last_fired_at = now() "
            + "WHERE id = $1 AND next_fire_at = $2")
        .execute(Tuple.of(id, due.atOffset(ZoneOffset.UTC), next.atOffset(ZoneOffset.UTC)))
        .map(r -> r.rowCount() == 1);
  }

  public Future<Void> recordRollout(SqlClient tx, UUID id, UUID rolloutId) {
    return tx.preparedQuery("UPDATE schedules SET last_rollout_id = $2 WHERE id = $1").execute(Tuple.of(id, rolloutId))
        .mapEmpty();
  }

  public Future<JsonArray> list() {
    return pool.query("SELECT id, name, cron, time_zone, template, expires_after_minutes, next_fire_at, last_fired_at, "
            + "last_rollout_id, created_by, created_at FROM schedules ORDER BY created_at").execute()
        .map(rows -> {
          JsonArray arr = new JsonArray();
          rows.forEach(r -> arr.add(toJson(r)));
          return arr;
        });
  }

  public Future<JsonObject> get(UUID id) {
    return pool.preparedQuery("SELECT id, name, cron, time_zone, template, expires_after_minutes, next_fire_at, "
            + "last_fired_at, last_rollout_id, created_by, created_at FROM schedules WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()));
  }

  public Future<Boolean> delete(SqlClient tx, UUID id) {
    return tx.preparedQuery("DELETE FROM schedules WHERE id = $1").execute(Tuple.of(id)).map(r -> r.rowCount() > 0);
  }

  static JsonObject toJson(Row r) {
    return new JsonObject()
        .put("id", r.getUUID(0).toString())
        .put("name", r.getString(1))
        .put("cron", r.getString(2))
        .put("timeZone", r.getString(3))
        .put("rollout", r.getJsonObject(4))
        .put("expiresAfterMinutes", r.getInteger(5))
        .put("nextFireAt", r.getOffsetDateTime(6).toInstant().toString())
        .put("lastFiredAt", r.getOffsetDateTime(7) == null ? null : r.getOffsetDateTime(7).toInstant().toString())
        .put("lastRolloutId", r.getUUID(8) == null ? null : r.getUUID(8).toString())
        .put("createdBy", r.getString(9))
        .put("createdAt", r.getOffsetDateTime(10).toInstant().toString());
  }
}
