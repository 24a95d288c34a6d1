package io.fleetcast.gateway.auth;

import io.fleetcast.common.security.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API tokens: stored as SHA-256 hashes, looked up once and cached for a few seconds so that
 * every request does not cost a query (a revoked token stops working within that time).
 */
public final class ApiTokens {
  public static final String PREFIX = "fct_";
  private static final long CACHE_NANOS = 5_000_000_000L;

  private record Cached(Optional<Principal> principal, long at) {}

  private final Pool pool;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public ApiTokens(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Principal>> authenticate(String token) {
    String hash = Tokens.hash(token);
    Cached c = cache.get(hash);
    long now = System.nanoTime();
    if (c != null && now - c.at() < CACHE_NANOS) {
      return Future.succeededFuture(c.principal());
    }
    return pool.preparedQuery("SELECT id, name, role FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(hash))
        .map(rows -> {
          Optional<Principal> p = Optional.empty();
          for (Row r : rows) {
            p = Role.fromWire(r.getString(2)).map(role -> new Principal(r.getUUID(0).toString(), r.getString(1), role));
          }
          if (cache.size() > 10_000) {
            cache.clear();
          }
          cache.put(hash, new Cached(p, now));
          return p;
        });
  }

  /** True when the token was found valid within the cache time (no query; throttles let it through). */
  public boolean knownValid(String token) {
    Cached c = cache.get(Tokens.hash(token));
    return c != null && c.principal().isPresent() && System.nanoTime() - c.at() < CACHE_NANOS;
  }

  /** The ids among {@code tokenIds} that still name an unrevoked token (one query). */
  public Future<java.util.Set<String>> active(java.util.Collection<String> tokenIds) {
    if (tokenIds.isEmpty()) {
      return Future.succeededFuture(java.util.Set.of());
    }
    UUID[] ids = tokenIds.stream().map(UUID::fromString).toArray(UUID[]::new);
    return pool.preparedQuery("SELECT id FROM api_tokens WHERE id = ANY($1) AND revoked_at IS NULL")
        .execute(Tuple.of(ids)).map(rows -> {
          java.util.Set<String> out = new java.util.HashSet<>();
          rows.forEach(r -> out.add(r.getUUID(0).toString()));
          return out;
        });
  }

  /** How long a revoked token may still be taken as valid (the cache time). */
  public static java.time.Duration cacheTime() {
    return java.time.Duration.ofNanos(CACHE_NANOS);
  }

  /** Creates a token; the clear text is returned once and never stored. */
  public Future<JsonObject> create(SqlClient client, String name, Role role, String createdBy) {
    String token = Tokens.generate(PREFIX);
    UUID id = UUID.randomUUID();
    return client.preparedQuery("INSERT INTO api_tokens(id, name, role, token_hash, created_by) VALUES ($1, $2, $3, $4, $5)")
        .execute(Tuple.of(id, name, role.wire(), Tokens.hash(token), createdBy))
        .map(r -> new JsonObject().put("id", id.toString()).put("name", name).put("role", role.wire()).put("token", token));
  }

  /** Registers a token chosen by the operator (FLEETCAST_ADMIN_TOKEN); no-op if it exists. */
  public Future<Boolean> ensure(String token, String name, Role role) {
    return pool.preparedQuery("INSERT INTO api_tokens(id, name, role, token_hash, created_by) VALUES ($1, $2, $3, $4, 'system') "
            + "ON CONFLICT (token_hash) DO NOTHING")
        .execute(Tuple.of(UUID.randomUUID(), name, role.wire(), Tokens.hash(token)))
        .map(r -> r.rowCount() > 0);
  }

  public Future<Boolean> anyAdmin() {
    return pool.query("SELECT 1 FROM api_tokens WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1").execute()
        .map(rows -> rows.size() > 0);
  }

  public Future<Boolean> revoke(SqlClient client, UUID id) {
    cache.clear();
    return client.preparedQuery("UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(id)).map(r -> r.rowCount() > 0);
  }

  public Future<JsonArray> list() {
    return pool.query("SELECT id, name, role, created_at, created_by, revoked_at FROM api_tokens ORDER BY created_at")
        .execute().map(rows -> {
          JsonArray arr = new JsonArray();
          for (Row r : rows) {
            arr.add(new JsonObject().put("id", r.getUUID(0).toString()).put("name", r.getString(1))
                .put("role", r.getString(2)).put("createdAt", r.getOffsetDateTime(3).toInstant().toString())
                .put("createdBy", r.getString(4))
                .put("revokedAt", r.getOffsetDateTime(5) == null ? null : r.getOffsetDateTime(5).toInstant().toString()));
          }
          return arr;
        });
  }
}
