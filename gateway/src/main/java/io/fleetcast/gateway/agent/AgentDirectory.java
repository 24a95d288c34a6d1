package io.fleetcast.gateway.agent;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.RevokedMessage;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.paging.Cursor;
import io.fleetcast.gateway.paging.Page;
import io.fleetcast.gateway.error.DomainError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Enrolled agents as the API shows them, and revocation. */
public final class AgentDirectory {
  private static final String COLUMNS = "id, hostname, online, node_id, last_seen, facts, tags, enrolled_at, revoked_at, "
      + "version, connected_at, reported_tags";

  private final Vertx vertx;
  private final Pool pool;
  private final AuditLog audit;

  public AgentDirectory(Vertx vertx, Pool pool, AuditLog audit) {
    this.vertx = vertx;
    this.pool = pool;
    this.audit = audit;
  }

  /** Filters of the agents list; null means "any". {@code q} matches a part of the hostname; {@code version} the last hello's. */
  public record Filter(Boolean online, String tag, String subnet, String q, String node, String version) {}

  public Future<JsonObject> list(Filter f, int limit, String after) {
    UUID afterId = after == null ? null : Cursor.uuid(after);
    if (after != null && afterId == null) {
      return Future.failedFuture(DomainError.badRequest(Cursor.NOT_OURS));
    }
    String sql = "SELECT " + COLUMNS + " FROM agents WHERE revoked_at IS NULL"
        + " AND ($1::boolean IS NULL OR online = $1)"
        + " AND ($2::text IS NULL OR tags @> ARRAY[$2::text])"
        + " AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM unnest(ips) ip WHERE ip <<= $3::text::cidr))"
        + " AND ($4::uuid IS NULL OR id > $4)"
        + " AND ($6::text IS NULL OR lower(hostname) LIKE '%' || $6 || '%')"
        + " AND ($7::text IS NULL OR (online AND node_id = $7))"
        + " AND ($8::text IS NULL OR version = $8)"
        + " ORDER BY id LIMIT $5";
    String like = f.q() == null ? null : f.q().toLowerCase(java.util.Locale.ROOT)
        .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return pool.preparedQuery(sql).execute(Tuple.of(f.online(), f.tag(), f.subnet(), afterId, Page.fetchSize(limit), like, f.node())
            .addValue(f.version()))
        .map(rows -> Page.of(rows, limit, AgentDirectory::toJson, r -> r.getUUID(0).toString()));
  }

  public Future<JsonObject> get(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM agents WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(DomainError.notFound("no agent " + id));
          }
          JsonObject agent = toJson(rows.iterator().next());
          return pool.preparedQuery("""
                  SELECT t.rollout_id, r.name, t.state, t.step, t.reason, t.finished_at, r.created_at
                  FROM rollout_targets t JOIN rollouts r ON r.id = t.rollout_id
                  WHERE t.agent_id = $1 ORDER BY r.created_at DESC LIMIT 20""")
              .execute(Tuple.of(id))
              .map(recent -> {
                JsonArray tasks = new JsonArray();
                for (Row r : recent) {
                  tasks.add(new JsonObject().put("rolloutId", r.getUUID(0).toString()).put("rollout", r.getString(1))
                      .put("state", r.getString(2)).put("step", r.getInteger(3)).put("reason", r.getString(4))
                      .put("finishedAt", r.getOffsetDateTime(5) == null ? null : r.getOffsetDateTime(5).toInstant().toString()));
                }
                return agent.put("recentTasks", tasks);
              });
        });
  }

  /**
   * Sets the tags the server assigns (as an enrollment token does); the agent's effective tags are
   * those plus the ones it reports itself, recomputed now and on every connect.
   */
  public Future<JsonObject> setTags(UUID id, java.util.List<String> tags, Principal who, String remote) {
    String[] arr = tags.stream().distinct().sorted().toArray(String[]::new);
    // the trusted tags (what tag targeting matches); what the agent reports stays in reported_tags
    return pool.withTransaction(tx -> tx.preparedQuery("""
                UPDATE agents SET tags = $2::text[]
                WHERE id = $1 AND revoked_at IS NULL""")
            .execute(Tuple.tuple().addValue(id).addValue(arr))
            .compose(r -> {
              if (r.rowCount() == 0) {
                return Future.failedFuture(DomainError.notFound("no agent " + id + " (or revoked)"));
              }
              return audit.append(tx, who.actor(), who.role().wire(), "agent.tags", id.toString(), remote,
                  new JsonObject().put("tags", new JsonArray(java.util.List.of(arr))));
            }))
        .compose(x -> get(id));
  }

  /**
   * The tags the server assigns to a (not revoked) agent, empty if there is none: what an agent
   * asks for to learn tags an admin set after its enrollment (one primary-key read).
   */
  public Future<java.util.Optional<java.util.List<String>>> trustedTags(UUID id) {
    return pool.preparedQuery("SELECT tags FROM agents WHERE id = $1 AND revoked_at IS NULL").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? java.util.Optional.empty()
            : java.util.Optional.of(java.util.List.of(rows.iterator().next().getArrayOfStrings(0))));
  }

  /** Revokes the credential for good, closes the live connection and refuses it on every node. */
  public Future<Void> revoke(UUID id, Principal who, String remote) {
    return pool.withTransaction(tx -> tx.preparedQuery("UPDATE agents SET revoked_at = now(), online = false "
                + "WHERE id = $1 AND revoked_at IS NULL")
            .execute(Tuple.of(id))
            .compose(r -> {
              if (r.rowCount() == 0) {
                return Future.failedFuture(DomainError.notFound("no agent " + id + " (or already revoked)"));
              }
              return audit.append(tx, who.actor(), who.role().wire(), "agent.revoke", id.toString(), remote, null);
            }))
        .map(x -> {
          vertx.eventBus().publish(Addresses.REVOKED, new RevokedMessage(id.toString()));
          return null;
        });
  }

  static JsonObject toJson(Row r) {
    return new JsonObject()
        .put("id", r.getUUID(0).toString())
        .put("hostname", r.getString(1))
        .put("online", r.getBoolean(2))
        .put("nodeId", r.getBoolean(2) ? r.getString(3) : null)
        .put("lastSeen", r.getOffsetDateTime(4) == null ? null : r.getOffsetDateTime(4).toInstant().toString())
        .put("facts", r.getJsonObject(5))
        // trusted tags (from the enrollment token) target rollouts; reported ones only via targets.reportedTags
        .put("tags", new JsonArray(java.util.List.of(r.getArrayOfStrings(6))))
        .put("reportedTags", new JsonArray(java.util.List.of(r.getArrayOfStrings(11))))
        .put("enrolledAt", r.getOffsetDateTime(7).toInstant().toString())
        .put("revokedAt", r.getOffsetDateTime(8) == null ? null : r.getOffsetDateTime(8).toInstant().toString())
        .put("version", r.getString(9))
        .put("connectedAt", r.getOffsetDateTime(10) == null ? null : r.getOffsetDateTime(10).toInstant().toString())
        // the current connection's start, while connected; lastSeen is the last frame or heartbeat a node recorded
        .put("connectedSince", r.getBoolean(2) && r.getOffsetDateTime(10) != null
            ? r.getOffsetDateTime(10).toInstant().toString() : null);
  }
}
