package io.fleetcast.common.security;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Base64;

/**
 * Cluster-wide secrets kept in Postgres, created by whichever process starts first. Every
 * node reads them once at start, never per connection.
 */
public final class ClusterSecrets {
  public static final String AGENT_HMAC_KEY = "agent-hmac-key";

  private ClusterSecrets() {}

  /** The named 256-bit key, generating it if no process has yet. */
  public static Future<byte[]> loadOrCreate(Pool pool, String name) {
    String candidate = Base64.getEncoder().encodeToString(Tokens.randomBytes(32));
    return pool.preparedQuery("INSERT INTO cluster_secrets(name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .execute(Tuple.of(name, candidate))
        .compose(r -> pool.preparedQuery("SELECT value FROM cluster_secrets WHERE name = $1").execute(Tuple.of(name)))
        .map(rows -> Base64.getDecoder().decode(rows.iterator().next().getString(0)));
  }
}
