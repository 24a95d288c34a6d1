package io.fleetcast.gateway.group;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** Saved target groups in Postgres (table {@code target_groups}). */
public final class GroupStore {
  private static final String COLUMNS = "name, selector, description, created_at, created_by, updated_at";
  private final Pool pool;

  public GroupStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  public Future<JsonArray> list(int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM target_groups ORDER BY name LIMIT $1").execute(Tuple.of(limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(json(r)));
          return out;
        });
  }

  /** The group, or null. */
  public Future<JsonObject> get(String name) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM target_groups WHERE name = $1").execute(Tuple.of(name))
        .map(rows -> rows.size() == 0 ? null : json(rows.iterator().next()));
  }

  /** Creates or replaces; true when it was created. */
  public Future<Boolean> put(SqlClient tx, String name, JsonObject selector, String description, String by) {
    return tx.preparedQuery("""
            INSERT INTO target_groups (name, selector, description, created_by) VALUES ($1, $2, $3, $4)
            ON CONFLICT (name) DO UPDATE SET selector = EXCLUDED.selector, description = EXCLUDED.description,
              updated_at = now()
            RETURNING (xmax = 0)""")
        .execute(Tuple.of(name, selector, description, by))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  public Future<Boolean> delete(SqlClient tx, String name) {
    return tx.preparedQuery("DELETE FROM target_groups WHERE name = $1").execute(Tuple.of(name))
        .map(r -> r.rowCount() > 0);
  }

  private static JsonObject json(Row r) {
    return new JsonObject().put("name", r.getString(0)).put("selector", r.getJsonObject(1))
        .put("description", r.getString(2)).put("createdAt", r.getOffsetDateTime(3).toInstant().toString())
        .put("createdBy", r.getString(4)).put("updatedAt", r.getOffsetDateTime(5).toInstant().toString());
  }
}
