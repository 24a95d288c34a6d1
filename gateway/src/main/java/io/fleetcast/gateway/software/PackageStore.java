package io.fleetcast.gateway.software;

import io.fleetcast.common.rollout.RolloutState;
import io.fleetcast.common.rollout.SqlStates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Postgres side of the package catalog: packages, their programs, where their content lies. */
public final class PackageStore {

  /** A catalog entry. */
  public record PackageRow(UUID id, String name, String version, String sha256, long size, String fileName,
      String archive, JsonArray files, OffsetDateTime createdAt, String createdBy) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("name", name).put("version", version).put("sha256", sha256)
          .put("size", size).put("fileName", fileName).put("archive", archive).put("files", files)
          .put("createdAt", createdAt == null ? null : createdAt.toInstant().toString()).put("createdBy", createdBy);
    }
  }

  private static final String COLS = "id, name, version, sha256, size, file_name, archive, files, created_at, created_by";
  private static final String ACTIVE = SqlStates.list(RolloutState.UNHALTED);

  private final Pool pool;

  public PackageStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  public Future<Void> insert(SqlClient tx, PackageRow p, String originDepot) {
    return tx.preparedQuery("INSERT INTO packages (" + COLS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9)")
        .execute(Tuple.from(new Object[] {p.id(), p.name(), p.version(), p.sha256(), p.size(), p.fileName(), p.archive(),
            p.files(), p.createdBy()}))
        .compose(r -> tx.preparedQuery("INSERT INTO depot_content (depot, sha256, state) VALUES ($1, $2, 'ready') "
            + "ON CONFLICT (depot, sha256) DO UPDATE SET state = 'ready', updated_at = now()")
            .execute(Tuple.of(originDepot, p.sha256())))
        .mapEmpty();
  }

  public Future<Boolean> exists(String name, String version) {
    return pool.preparedQuery("SELECT 1 FROM packages WHERE name = $1 AND version = $2").execute(Tuple.of(name, version))
        .map(rows -> rows.size() > 0);
  }

  public Future<List<PackageRow>> list(int limit) {
    return pool.preparedQuery("SELECT " + COLS + " FROM packages ORDER BY name, created_at DESC LIMIT $1")
        .execute(Tuple.of(limit)).map(PackageStore::rows);
  }

  /** By id, or by {@code name} / {@code name@version} (without a version: the newest upload of that name). */
  public Future<PackageRow> find(String ref) {
    UUID id = uuidOrNull(ref);
    if (id != null) {
      return pool.preparedQuery("SELECT " + COLS + " FROM packages WHERE id = $1").execute(Tuple.of(id)).map(PackageStore::first);
    }
    int at = ref.lastIndexOf('@');
    if (at > 0) {
      return pool.preparedQuery("SELECT " + COLS + " FROM packages WHERE name = $1 AND version = $2")
          .execute(Tuple.of(ref.substring(0, at), ref.substring(at + 1))).map(PackageStore::first);
    }
    return pool.preparedQuery("SELECT " + COLS + " FROM packages WHERE name = $1 ORDER BY created_at DESC LIMIT 1")
        .execute(Tuple.of(ref)).map(PackageStore::first);
  }

  /** Names of the active rollouts whose tasks use the package. */
  public Future<List<String>> activeRolloutsUsing(SqlClient c, UUID packageId) {
    return c.preparedQuery("SELECT DISTINCT r.id::text FROM tasks t JOIN rollouts r ON r.id = t.rollout_id "
            + "WHERE t.spec->>'packageId' = $1 AND r.state IN " + ACTIVE + " LIMIT 10")
        .execute(Tuple.of(packageId.toString()))
        .map(rows -> {
          List<String> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getString(0)));
          return out;
        });
  }

  /** Deletes the package row; when no other package shares its content, marks the content removing on every depot. */
  public Future<Boolean> delete(SqlClient tx, PackageRow p) {
    return tx.preparedQuery("DELETE FROM packages WHERE id = $1").execute(Tuple.of(p.id()))
        .compose(r -> tx.preparedQuery("SELECT 1 FROM packages WHERE sha256 = $1 LIMIT 1").execute(Tuple.of(p.sha256())))
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture(false)
            : tx.preparedQuery("UPDATE depot_content SET state = 'removing', updated_at = now() WHERE sha256 = $1")
                .execute(Tuple.of(p.sha256())).map(true));
  }

  public Future<JsonArray> programs(UUID packageId) {
    return pool.preparedQuery("SELECT spec FROM package_programs WHERE package_id = $1 ORDER BY name")
        .execute(Tuple.of(packageId))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(r.getJsonObject(0)));
          return out;
        });
  }

  public Future<JsonObject> program(UUID packageId, String name) {
    return pool.preparedQuery("SELECT spec FROM package_programs WHERE package_id = $1 AND name = $2")
        .execute(Tuple.of(packageId, name))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getJsonObject(0));
  }

  /** False when a program of that name exists already. */
  public Future<Boolean> addProgram(SqlClient tx, UUID packageId, ProgramSpec p) {
    return tx.preparedQuery("INSERT INTO package_programs (package_id, name, spec) VALUES ($1, $2, $3) "
            + "ON CONFLICT DO NOTHING").execute(Tuple.of(packageId, p.name(), p.toJson()))
        .map(r -> r.rowCount() == 1);
  }

  public Future<Boolean> deleteProgram(SqlClient tx, UUID packageId, String name) {
    return tx.preparedQuery("DELETE FROM package_programs WHERE package_id = $1 AND name = $2")
        .execute(Tuple.of(packageId, name)).map(r -> r.rowCount() == 1);
  }

  /** Asks every matching depot that lacks the content to fetch it; returns how many were asked. */
  public Future<Integer> distribute(SqlClient tx, String sha256, DistributionTarget target) {
    String where = switch (target.kind()) {
      case ALL -> "TRUE";
      case SITES -> "d.site = ANY($2)";
      case DEPOTS -> "d.name = ANY($2)";
    };
    String sql = "INSERT INTO depot_content (depot, sha256, state) SELECT d.name, $1, 'wanted' FROM depots d WHERE "
        + "NOT d.origin AND " + where + " ON CONFLICT (depot, sha256) DO UPDATE SET state = 'wanted', updated_at = now() "
        + "WHERE depot_content.state = 'failed'";
    Tuple t = target.kind() == DistributionTarget.Kind.ALL ? Tuple.of(sha256)
        : Tuple.tuple().addString(sha256).addArrayOfString(target.names().toArray(new String[0]));
    return tx.preparedQuery(sql).execute(t).map(r -> r.rowCount());
  }

  /** Where the content lies: [{depot, site, url, origin, state, detail}]. */
  public Future<JsonArray> placements(String sha256) {
    return pool.preparedQuery("SELECT d.name, d.site, d.url, d.origin, c.state, c.detail FROM depot_content c "
            + "JOIN depots d ON d.name = c.depot WHERE c.sha256 = $1 ORDER BY d.origin, d.site, d.name")
        .execute(Tuple.of(sha256))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("depot", r.getString(0)).put("site", r.getString(1))
              .put("url", r.getString(2)).put("origin", r.getBoolean(3)).put("state", r.getString(4))
              .put("detail", r.getString(5))));
          return out;
        });
  }

  static List<PackageRow> rows(io.vertx.sqlclient.RowSet<Row> rows) {
    List<PackageRow> out = new ArrayList<>();
    rows.forEach(r -> out.add(new PackageRow(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3), r.getLong(4),
        r.getString(5), r.getString(6), (JsonArray) r.getValue(7), r.getOffsetDateTime(8), r.getString(9))));
    return out;
  }

  static PackageRow first(io.vertx.sqlclient.RowSet<Row> rows) {
    List<PackageRow> l = rows(rows);
    return l.isEmpty() ? null : l.get(0);
  }

  static UUID uuidOrNull(String s) {
    try {
      return s != null && s.length() == 36 ? UUID.fromString(s) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
