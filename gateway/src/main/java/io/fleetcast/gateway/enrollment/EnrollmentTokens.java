package io.fleetcast.gateway.enrollment;

import io.fleetcast.common.security.Tokens;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.paging.Cursor;
import io.fleetcast.gateway.paging.Page;
import io.fleetcast.gateway.error.DomainError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Enrollment tokens: create (the secret is returned once and only its hash is kept), list
 * (never the secret), revoke, and why a token would be refused.
 */
public final class EnrollmentTokens {
  public static final String PREFIX = "fce_";
  private static final String COLUMNS = "id, created_at, created_by, expires_at, max_uses, uses, tags, "
      + "allowed_cidrs::text[], revoked_at";

  private final Pool pool;
  private final AuditLog audit;

  public EnrollmentTokens(Pool pool, AuditLog audit) {
    this.pool = pool;
    this.audit = audit;
  }

  public Future<JsonObject> create(Instant expiresAt, int maxUses, List<String> tags, List<String> cidrs,
      Principal who, String remote) {
    String token = Tokens.generate(PREFIX);
    UUID id = UUID.randomUUID();
    return pool.withTransaction(tx -> audit.append(tx, who.actor(), who.role().wire(), "enrollment_token.create",
            id.toString(), remote, new JsonObject().put("maxUses", maxUses).put("expiresAt", expiresAt.toString())
                .put("tags", new JsonArray(tags)).put("allowedCidrs", new JsonArray(cidrs)))
        .compose(seq -> tx.preparedQuery("INSERT INTO enrollment_tokens (id, token_hash, expires_at, max_uses, tags, "
                + "allowed_cidrs, created_by) VALUES ($1, $2, $3, $4, $5, $6::text[]::cidr[], $7)")
            .execute(Tuple.tuple().addValue(id).addValue(Tokens.hash(token)).addValue(expiresAt.atOffset(ZoneOffset.UTC))
                .addValue(maxUses).addValue(tags.toArray(new String[0])).addValue(cidrs.toArray(new String[0]))
                .addValue(who.actor()))))
        .map(r -> new JsonObject().put("id", id.toString()).put("token", token).put("expiresAt", expiresAt.toString())
            .put("maxUses", maxUses).put("tags", new JsonArray(tags)).put("allowedCidrs", new JsonArray(cidrs)));
  }

  /** A page of tokens, newest first ({@code items}, {@code next} cursor); never the secret or its hash. */
  public Future<JsonObject> list(int limit, String after) {
    String[] key = after == null ? null : decode(after);
    if (after != null && key == null) {
      return Future.failedFuture(DomainError.badRequest(Cursor.NOT_OURS));
    }
    OffsetDateTime at = key == null ? null : OffsetDateTime.parse(key[0]);
    UUID id = key == null ? null : UUID.fromString(key[1]);
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM enrollment_tokens"
            + " WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1, $2::uuid))"
            + " ORDER BY created_at DESC, id DESC LIMIT $3")
        .execute(Tuple.of(at, id, Page.fetchSize(limit)))
        // the key keeps the exact microseconds of created_at (Instant.toString would shorten them)
        .map(rows -> Page.of(rows, limit, EnrollmentTokens::toJson, r -> r.getOffsetDateTime(1) + "|" + r.getUUID(0)));
  }

  private static String[] decode(String cursor) {
    String[] parts = Cursor.parts(cursor, 2);
    if (parts == null) {
      return null;
    }
    try {
      OffsetDateTime.parse(parts[0]);
      UUID.fromString(parts[1]);
      return parts;
    } catch (RuntimeException e) {
      return null;
    }
  }

  static JsonObject toJson(Row r) {
    OffsetDateTime created = r.getOffsetDateTime(1);
    OffsetDateTime revoked = r.getOffsetDateTime(8);
    Instant expires = r.getOffsetDateTime(3).toInstant();
    String state = revoked != null ? "revoked" : !expires.isAfter(Instant.now()) ? "expired"
        : r.getInteger(5) >= r.getInteger(4) ? "used_up" : "active";
    return new JsonObject().put("id", r.getUUID(0).toString())
        .put("createdAt", created.toInstant().toString())
        .put("createdBy", r.getString(2))
        .put("expiresAt", expires.toString())
        .put("maxUses", r.getInteger(4))
        .put("uses", r.getInteger(5))
        .put("tags", new JsonArray(List.of(r.getArrayOfStrings(6))))
        .put("allowedCidrs", new JsonArray(List.of(r.getArrayOfStrings(7))))
        .put("revoked", revoked != null)
        .put("revokedAt", revoked == null ? null : revoked.toInstant().toString())
        .put("state", state);
  }

  /** Revokes the token inside the caller's transaction; false if there is no such unrevoked token. */
  public Future<Boolean> revoke(SqlClient tx, UUID id) {
    return tx.preparedQuery("UPDATE enrollment_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(id)).map(r -> r.rowCount() > 0);
  }

  /**
   * Why the token would be refused from {@code remoteIp} (empty: it is usable now). One query on
   * {@code client}: inside a transaction pass its connection, never the pool.
   */
  public Future<Optional<DomainError>> refusal(SqlClient client, String token, String remoteIp) {
    return client.preparedQuery("SELECT revoked_at IS NOT NULL, expires_at <= now(), uses >= max_uses, "
            + "NOT (cardinality(allowed_cidrs) = 0 OR $2::text::inet <<= ANY(allowed_cidrs)) FROM enrollment_tokens "
            + "WHERE token_hash = $1")
        .execute(Tuple.of(Tokens.hash(token), remoteIp))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.of(DomainError.unauthorized("unknown enrollment token"));
          }
          Row r = rows.iterator().next();
          if (r.getBoolean(0)) {
            return Optional.of(DomainError.unauthorized("enrollment token revoked"));
          }
          if (r.getBoolean(1)) {
            return Optional.of(DomainError.unauthorized("enrollment token expired"));
          }
          if (r.getBoolean(2)) {
            return Optional.of(DomainError.unauthorized("enrollment token used up"));
          }
          if (r.getBoolean(3)) {
            return Optional.of(DomainError.forbidden("enrollment from " + remoteIp + " is not allowed by this token"));
          }
          return Optional.empty();
        });
  }
}
