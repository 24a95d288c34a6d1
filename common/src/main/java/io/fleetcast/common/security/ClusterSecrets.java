package io.fleetcast.common.security;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import io.fleetcast.common.db.PgUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Properties;

/**
 * Cluster-wide secrets kept in Postgres, created by whichever process starts first. Every
 * node reads them once at start, never per connection.
 */
public final class ClusterSecrets {
  public static final String AGENT_HMAC_KEY = "agent-hmac-key";

  private ClusterSecrets() {}

  private static final String INSERT = "INSERT INTO cluster_secrets(name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
  private static final String SELECT = "SELECT value FROM cluster_secrets WHERE name = $1";

  /** The named 256-bit key, generating it if no process has yet. */
  public static Future<byte[]> loadOrCreate(Pool pool, String name) {
    String candidate = Base64.getEncoder().encodeToString(Tokens.randomBytes(32));
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(name, candidate))
        .compose(r -> pool.preparedQuery(SELECT).execute(Tuple.of(name)))
        .map(rows -> Base64.getDecoder().decode(rows.iterator().next().getString(0)));
  }

  /** Blocking (JDBC), for start-up before any event loop exists: e.g. to name the cluster before joining it. */
  public static byte[] loadOrCreate(PgUrl url, String name) {
    String candidate = Base64.getEncoder().encodeToString(Tokens.randomBytes(32));
    Properties p = new Properties();
    p.setProperty("user", url.user());
    p.setProperty("password", url.password());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), p)) {
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO cluster_secrets(name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
        insert.setString(1, name);
        insert.setString(2, candidate);
        insert.executeUpdate();
      }
      try (PreparedStatement select = c.prepareStatement("SELECT value FROM cluster_secrets WHERE name = ?")) {
        select.setString(1, name);
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          return Base64.getDecoder().decode(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read cluster secret '" + name + "' from " + url.redacted() + ": "
          + e.getMessage(), e);
    }
  }
}
