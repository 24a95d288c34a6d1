package io.fleetcast.gateway.console;

import io.fleetcast.common.security.Tokens;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.auth.Session;
import io.fleetcast.gateway.auth.Sessions;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions in Postgres (so any gateway behind the DNS name accepts them). A session
 * stands for the API token it was exchanged for and ends after {@code idle} without use, when
 * signed out, or when the token is revoked. Lookups are cached for a few seconds, and
 * {@code last_used} is written at most once a minute per session, so browsing costs no writes.
 */
public final class SessionStore implements Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long CACHE_NANOS = 5_000_000_000L;
  private static final long TOUCH_NANOS = 60_000_000_000L;

  /** A freshly created session: the id for the cookie (never stored in clear) and its CSRF token. */
  public record Created(String id, String csrf, Principal principal) {}

  private record Cached(Optional<Session> session, long at, long touchedAt) {}

  private final Pool pool;
  private final Duration idle;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public SessionStore(Pool pool, Duration idle) {
    this.pool = pool;
    this.idle = idle;
  }

  public Duration idle() {
    return idle;
  }

  public Pool pool() {
    return pool;
  }

  /** Creates a session inside the caller's transaction (with its audit row). */
  public Future<Created> create(io.vertx.sqlclient.SqlClient tx, Principal p, String remote) {
    String id = random();
    String csrf = random();
    return tx.preparedQuery("INSERT INTO console_sessions (id_hash, token_id, csrf, remote) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(Tokens.hash(id), UUID.fromString(p.tokenId()), csrf, remote))
        .map(r -> new Created(id, csrf, p));
  }

  @Override
  public Future<Optional<Session>> resolve(String id) {
    String hash = Tokens.hash(id);
    long now = System.nanoTime();
    Cached c = cache.get(hash);
    if (c != null && now - c.at() < CACHE_NANOS) {
      if (c.session().isPresent() && now - c.touchedAt() > TOUCH_NANOS) {
        cache.put(hash, new Cached(c.session(), c.at(), now));
        pool.preparedQuery("UPDATE console_sessions SET last_used = now() WHERE id_hash = $1").execute(Tuple.of(hash));
      }
      return Future.succeededFuture(c.session());
    }
    // one statement checks idle expiry and token revocation and records the use
    return pool.preparedQuery("""
            UPDATE console_sessions s SET last_used = now()
            FROM api_tokens t
            WHERE s.id_hash = $1 AND t.id = s.token_id AND t.revoked_at IS NULL
              AND s.last_used > now() - make_interval(secs => $2)
            RETURNING t.id, t.name, t.role, s.csrf""")
        .execute(Tuple.of(hash, (double) idle.toSeconds()))
        .map(rows -> {
          Optional<Session> s = Optional.empty();
          for (Row r : rows) {
            Optional<Role> role = Role.fromWire(r.getString(2));
            if (role.isPresent()) {
              s = Optional.of(new Session(new Principal(r.getUUID(0).toString(), r.getString(1), role.get()),
                  r.getString(3)));
            }
          }
          if (cache.size() > 10_000) {
            cache.clear();
          }
          cache.put(hash, new Cached(s, now, now));
          return s;
        });
  }

  /** Ends a session (sign-out); true when it existed. */
  public Future<Boolean> delete(io.vertx.sqlclient.SqlClient tx, String id) {
    String hash = Tokens.hash(id);
    cache.remove(hash);
    return tx.preparedQuery("DELETE FROM console_sessions WHERE id_hash = $1").execute(Tuple.of(hash))
        .map(r -> r.rowCount() > 0);
  }

  /** Removes sessions idle for longer than the limit (they no longer authenticate anyway). */
  public Future<Integer> purgeExpired() {
    return pool.preparedQuery("DELETE FROM console_sessions WHERE last_used < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) idle.toSeconds())).map(r -> r.rowCount());
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
