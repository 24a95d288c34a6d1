package io.fleetcast.gateway.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Append-only audit log in Postgres. Each row carries the SHA-256 of its content chained to
 * the previous row's hash, so that a changed or deleted row breaks the chain. Appends are
 * serialised by a transaction-scoped advisory lock and written in the same transaction as
 * the change they record, before anything is dispatched.
 */
public final class AuditLog {
  private static final long CHAIN_LOCK = 0x466c656574L; // "Fleet"

  static final String HASH_EXPR =
      // a JSON array, not concat_ws: that skips NULLs and lets text move between fields unseen
      "encode(sha256(convert_to(json_build_array(%s, %s, %s, %s, %s, %s, %s, %s)::text, 'UTF8')), 'hex')";

  private static final String APPEND = """
      WITH lock AS (SELECT pg_advisory_xact_lock($7::bigint)),
      prev AS (SELECT COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), 'genesis') AS h FROM lock),
      row AS (SELECT clock_timestamp() AS at, prev.h AS prev_hash FROM prev)
      INSERT INTO audit_log (at, actor, role, action, target, remote, detail, prev_hash, hash)
      SELECT row.at, $1::text, $2::text, $3::text, $4::text, $5::text, $6::text::jsonb, row.prev_hash,
             """ + String.format(HASH_EXPR, "row.prev_hash", "to_char(row.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')",
      "$1::text", "$2::text", "$3::text", "$4::text", "$5::text", "$6::text::jsonb::text") + """
      FROM row
      RETURNING seq
      """;

  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  /** Appends inside the caller's transaction ({@code client} is its connection). */
  public Future<Long> append(SqlClient client, String actor, String role, String action, String target, String remote,
      JsonObject detail) {
    // lock in a statement of its own: the INSERT's snapshot must be taken after the lock is held,
    // or two concurrent appends both read the same last hash and fork the chain
    return client.preparedQuery("SELECT pg_advisory_xact_lock($1::bigint)").execute(Tuple.of(CHAIN_LOCK))
        .compose(locked -> client.preparedQuery(APPEND)
        .execute(Tuple.of(actor, role, action, target, remote, (detail == null ? new JsonObject() : detail).encode(),
            CHAIN_LOCK)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<JsonArray> list(long afterSeq, int limit) {
    return pool.preparedQuery("SELECT seq, at, actor, role, action, target, remote, detail, prev_hash, hash FROM audit_log "
            + "WHERE seq > $1 ORDER BY seq LIMIT $2")
        .execute(Tuple.of(afterSeq, limit))
        .map(rows -> {
          JsonArray arr = new JsonArray();
          for (Row r : rows) {
            arr.add(new JsonObject().put("seq", r.getLong(0)).put("at", r.getOffsetDateTime(1).toInstant().toString())
                .put("actor", r.getString(2)).put("role", r.getString(3)).put("action", r.getString(4))
                .put("target", r.getString(5)).put("remote", r.getString(6)).put("detail", detail(r.getValue(7)))
                .put("prevHash", r.getString(8)).put("hash", r.getString(9)));
          }
          return arr;
        });
  }

  /** The stored detail as an object (rows written before 0.1.0 may hold it as a JSON string). */
  static JsonObject detail(Object v) {
    if (v instanceof JsonObject j) {
      return j;
    }
    if (v instanceof String s && s.startsWith("{")) {
      try {
        return new JsonObject(s);
      } catch (RuntimeException e) {
        return new JsonObject().put("text", s);
      }
    }
    return v == null ? new JsonObject() : new JsonObject().put("value", v);
  }

  /**
   * Recomputes every hash in order. Yields the first broken sequence number, or -1 when the
   * chain is intact, with the number of rows checked.
   */
  public Future<JsonObject> verify() {
    String sql = "SELECT seq, prev_hash, hash, " + String.format(HASH_EXPR, "prev_hash",
        "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')", "actor", "role", "action", "target", "remote",
        "detail::text") + " AS expected FROM audit_log ORDER BY seq";
    return pool.query(sql).execute().map(rows -> {
      String prev = "genesis";
      long checked = 0;
      for (Row r : rows) {
        checked++;
        boolean linkOk = prev.equals(r.getString(1));
        boolean hashOk = r.getString(2).equals(r.getString(3));
        if (!linkOk || !hashOk) {
          return new JsonObject().put("intact", false).put("brokenAt", r.getLong(0)).put("checked", checked)
              .put("reason", !hashOk ? "row content does not match its hash" : "row does not link to the previous row");
        }
        prev = r.getString(2);
      }
      return new JsonObject().put("intact", true).put("checked", checked);
    });
  }
}
