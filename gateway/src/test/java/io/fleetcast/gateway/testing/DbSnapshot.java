package io.fleetcast.gateway.testing;

import io.fleetcast.common.db.PgUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Row count and a content hash of every table that holds the truth (agents, tokens, rollouts,
 * tasks, targets, results, audit log, schedules), for "no stored row changed" checks. Columns
 * that only mirror a live connection (online, node, session, last seen) are left out: a socket
 * closing is not a stored change.
 */
public final class DbSnapshot {
  /** Table -> the columns that must not change. */
  static final Map<String, String> TABLES = new LinkedHashMap<>();

  static {
    TABLES.put("agents", "id, hostname, enrolled_at, enrollment_token_id, enrolled_from, revoked_at, enrollment_tags, "
        + "tags, ips, subnets, facts, version");
    TABLES.put("enrollment_tokens", "*");
    TABLES.put("api_tokens", "*");
    TABLES.put("rollouts", "id, name, state, request, step_count, target_count, waves, current_wave, state_reason, "
        + "started_at, finished_at");
    TABLES.put("tasks", "*");
    TABLES.put("rollout_targets", "*");
    TABLES.put("results", "*");
    TABLES.put("audit_log", "*");
    TABLES.put("schedules", "*");
    TABLES.put("cluster_secrets", "*");
  }

  private final Map<String, String> tables;

  private DbSnapshot(Map<String, String> tables) {
    this.tables = tables;
  }

  /** Count and md5 of each table's rows. */
  public static DbSnapshot take(PgUrl url) {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = connect(url); Statement s = c.createStatement()) {
      for (Map.Entry<String, String> t : TABLES.entrySet()) {
        String sql = "SELECT count(*), coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '-') FROM (SELECT "
            + t.getValue() + " FROM " + t.getKey() + ") x";
        try (ResultSet rs = s.executeQuery(sql)) {
          rs.next();
          out.put(t.getKey(), rs.getLong(1) + " rows " + rs.getString(2));
        } catch (SQLException missing) {
          if (!"42P01".equals(missing.getSQLState())) {
            throw missing;
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("snapshot failed: " + e.getMessage(), e);
    }
    return new DbSnapshot(out);
  }

  /** A snapshot once two in a row, 100 ms apart, agree: earlier asynchronous writes have landed. */
  public static DbSnapshot settled(PgUrl url) {
    DbSnapshot last = take(url);
    for (int i = 0; i < 60; i++) {
      sleep(100);
      DbSnapshot now = take(url);
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("the database did not settle: " + last);
  }

  /** Names of the tables that differ from {@code other}. */
  public List<String> changedSince(DbSnapshot other) {
    return tables.keySet().stream().filter(t -> !tables.get(t).equals(other.tables.get(t))).toList();
  }

  public long rows(String table) {
    String v = tables.get(table);
    return v == null ? 0 : Long.parseLong(v.substring(0, v.indexOf(' ')));
  }

  /** Runs one statement (test set-up that the API cannot do, e.g. expiring a token). */
  public static void exec(PgUrl url, String sql) {
    try (Connection c = connect(url); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row, as text (null when no row). */
  public static String queryOne(PgUrl url, String sql) {
    try (Connection c = connect(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect(PgUrl url) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", url.user());
    p.setProperty("password", url.password());
    return DriverManager.getConnection(url.jdbcUrl(), p);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DbSnapshot d && d.tables.equals(tables);
  }

  @Override
  public int hashCode() {
    return tables.hashCode();
  }

  @Override
  public String toString() {
    return tables.toString();
  }
}
