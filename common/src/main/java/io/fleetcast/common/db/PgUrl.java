package io.fleetcast.common.db;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A {@code postgresql://user:pass@host:port/db} URL, usable by both the reactive client and JDBC (migrations). */
public record PgUrl(String host, int port, String database, String user, String password) {

  public static PgUrl parse(String url) {
    String u = url.startsWith("jdbc:") ? url.substring(5) : url;
    if (u.startsWith("postgres://")) {
      u = "postgresql://" + u.substring("postgres://".length());
    }
    if (!u.startsWith("postgresql://")) {
      throw new IllegalArgumentException("pg.url must look like postgresql://user:pass@host:port/db");
    }
    URI uri = URI.create(u);
    String user = "postgres";
    String password = "";
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : "";
    }
    String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    return new PgUrl(uri.getHost() == null ? "127.0.0.1" : uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
        db, user, password);
  }

  private static String decode(String s) {
    // userinfo is RFC 3986 percent-encoding, not form encoding: a '+' is a literal plus
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public PgUrl withDatabase(String db) {
    return new PgUrl(host, port, db, user, password);
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions().setHost(host).setPort(port).setDatabase(database).setUser(user)
        .setPassword(password).setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(256)
        .setPipeliningLimit(64);
  }

  /** The URL without the password, for logs. */
  public String redacted() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "postgresql://" + user + (password.isEmpty() ? "" : ":" + password) + "@" + host + ":" + port + "/" + database;
  }
}
