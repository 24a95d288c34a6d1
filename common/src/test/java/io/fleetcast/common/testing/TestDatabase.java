package io.fleetcast.common.testing;

import io.fleetcast.common.db.EmbeddedDatabase;
import io.fleetcast.common.db.Migrations;
import io.fleetcast.common.db.PgUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh, migrated database with a unique name for one test class, dropped on close.
 * Uses the Postgres on 127.0.0.1:5432 when one answers (trust auth), otherwise an embedded
 * server started once per JVM. Tests never depend on the local server being there.
 */
public final class TestDatabase implements AutoCloseable {
  private static PgUrl server;
  private static EmbeddedDatabase embedded;

  private final PgUrl url;

  private TestDatabase(PgUrl url) {
    this.url = url;
  }

  public static synchronized TestDatabase create() {
    PgUrl admin = server();
    String name = "fc_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    exec(admin, "CREATE DATABASE " + name);
    PgUrl url = admin.withDatabase(name);
    Migrations.migrate(url);
    return new TestDatabase(url);
  }

  /** An empty database (no migrations), for tests of the start-up path itself. */
  public static synchronized TestDatabase createEmpty() {
    PgUrl admin = server();
    String name = "fc_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    exec(admin, "CREATE DATABASE " + name);
    return new TestDatabase(admin.withDatabase(name));
  }

  public PgUrl url() {
    return url;
  }

  private static PgUrl server() {
    if (server != null) {
      return server;
    }
    PgUrl local = new PgUrl("127.0.0.1", 5432, "postgres", "postgres", "");
    if (!"true".equals(System.getenv("FLEETCAST_TEST_EMBEDDED_PG")) && answers(local)) {
      server = local;
    } else {
      try {
        Path dir = Files.createTempDirectory("fleetcast-test-pg");
        embedded = EmbeddedDatabase.start(dir, 0);
        server = embedded.url();
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return server;
  }

  private static boolean answers(PgUrl url) {
    Properties p = new Properties();
    p.setProperty("user", url.user());
    p.setProperty("password", url.password());
    p.setProperty("connectTimeout", "2");
    p.setProperty("loginTimeout", "2");
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), p)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  public static void exec(PgUrl url, String sql) {
    Properties p = new Properties();
    p.setProperty("user", url.user());
    p.setProperty("password", url.password());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), p); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    PgUrl admin = server;
    exec(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + url.database()
        + "' AND pid <> pg_backend_pid()");
    exec(admin, "DROP DATABASE IF EXISTS " + url.database());
  }
}
