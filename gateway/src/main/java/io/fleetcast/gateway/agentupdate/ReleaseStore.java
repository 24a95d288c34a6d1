package io.fleetcast.gateway.agentupdate;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** Signed agent-lite releases in Postgres (content included, so every gateway serves every release). */
public final class ReleaseStore {

  public record Release(String version, String sha256, long size, String keyId, String signature, String createdAt) {
    public JsonObject toJson() {
      return new JsonObject().put("version", version).put("sha256", sha256).put("size", size).put("keyId", keyId)
          .put("signature", signature).put("createdAt", createdAt);
    }
  }

  private final Pool pool;

  public ReleaseStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** Inserts a release; false when the version exists (a version is immutable once published). */
  public Future<Boolean> insert(SqlClient tx, Release r, Buffer content, String createdBy) {
    return tx.preparedQuery("INSERT INTO agent_releases (version, sha256, size, key_id, signature, content, created_by) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (version) DO NOTHING")
        .execute(Tuple.tuple().addValue(r.version()).addValue(r.sha256()).addValue(r.size()).addValue(r.keyId())
            .addValue(r.signature()).addValue(content).addValue(createdBy))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Release> get(String version) {
    return pool.preparedQuery("SELECT version, sha256, size, key_id, signature, created_at FROM agent_releases "
        + "WHERE version = $1").execute(Tuple.of(version))
        .map(rows -> rows.size() == 0 ? null : release(rows.iterator().next()));
  }

  public Future<Buffer> content(String version) {
    return pool.preparedQuery("SELECT content FROM agent_releases WHERE version = $1").execute(Tuple.of(version))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBuffer(0));
  }

  public Future<JsonArray> list() {
    return pool.query("SELECT version, sha256, size, key_id, signature, created_at FROM agent_releases "
        + "ORDER BY created_at DESC LIMIT 1000").execute().map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(release(r).toJson()));
          return out;
        });
  }

  private static Release release(Row r) {
    return new Release(r.getString(0), r.getString(1), r.getLong(2), r.getString(3), r.getString(4),
        r.getOffsetDateTime(5).toInstant().toString());
  }
}
