package io.fleetcast.load.runner;

import io.fleetcast.common.db.PgUrl;
import io.fleetcast.load.agent.AgentIds;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;

/**
 * The coordinator's own JDBC connection to the run's database: provisioning agents, reading
 * the cluster key, and polling what is committed. Blocking, on the coordinator thread only.
 */
public final class Db implements AutoCloseable {
  private final Connection conn;

  public Db(PgUrl url) {
    this.conn = connect(url);
  }

  static Connection connect(PgUrl url) {
    Properties p = new Properties();
    p.setProperty("user", url.user());
    p.setProperty("password", url.password());
    p.setProperty("connectTimeout", "5");
    try {
      return DriverManager.getConnection(url.jdbcUrl(), p);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to " + url.redacted() + ": " + e.getMessage(), e);
    }
  }

  static boolean answers(PgUrl url) {
    Properties p = new Properties();
    p.setProperty("user", url.user());
    p.setProperty("password", url.password());
    p.setProperty("connectTimeout", "2");
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), p)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  public long count(String sql, Object... params) {
    try (PreparedStatement s = conn.prepareStatement(sql)) {
      bind(s, params);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** Server processes serving this database (Postgres runs one per connection), for CPU accounting. */
  public java.util.List<Long> backendPids() {
    java.util.List<Long> out = new java.util.ArrayList<>();
    try (PreparedStatement s = conn.prepareStatement(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(r.getLong(1));
      }
    } catch (SQLException e) {
      // accounting is best-effort
    }
    return out;
  }

  public String stringValue(String sql, Object... params) {
    try (PreparedStatement s = conn.prepareStatement(sql)) {
      bind(s, params);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public int exec(String sql, Object... params) {
    try (PreparedStatement s = conn.prepareStatement(sql)) {
      bind(s, params);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private void bind(PreparedStatement s, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object v = params[i];
      if (v instanceof UUID[] u) {
        s.setArray(i + 1, conn.createArrayOf("uuid", u));
      } else if (v instanceof String[] t) {
        s.setArray(i + 1, conn.createArrayOf("text", t));
      } else {
        s.setObject(i + 1, v);
      }
    }
  }

  /** The agent HMAC key the first server process created (base64, as stored). */
  public byte[] clusterKey() {
    try (PreparedStatement s = conn.prepareStatement("SELECT value FROM cluster_secrets WHERE name = 'agent-hmac-key'");
        ResultSet r = s.executeQuery()) {
      if (!r.next()) {
        throw new IllegalStateException("no agent-hmac-key in cluster_secrets: has a server started on this database?");
      }
      return Base64.getDecoder().decode(r.getString(1));
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * The pre-provisioned-credentials path: agents {@code 0..n-1} of {@code seed} are inserted
   * in bulk (one {@code unnest} statement per 10,000), as an imaging or MDM tool would, instead
   * of one enrollment call each. Their secrets are derived from the cluster key.
   */
  public void provisionAgents(long seed, int n) {
    int chunk = 10_000;
    for (int from = 0; from < n; from += chunk) {
      int to = Math.min(n, from + chunk);
      UUID[] ids = new UUID[to - from];
      String[] hosts = new String[to - from];
      for (int i = from; i < to; i++) {
        ids[i - from] = UUID.fromString(AgentIds.id(seed, i));
        hosts[i - from] = "sim-" + i;
      }
      exec("INSERT INTO agents (id, hostname) SELECT * FROM unnest(?::uuid[], ?::text[]) ON CONFLICT (id) DO NOTHING",
          ids, hosts);
    }
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      // closing is best-effort
    }
  }
}
