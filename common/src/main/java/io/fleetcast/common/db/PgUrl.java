package io.fleetcast.common.db;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code postgresql://user:pass@host:port/db[?sslmode=verify-full&sslrootcert=/path/ca.pem]} URL,
 * usable by both the reactive client and JDBC (migrations). {@code sslmode} takes libpq's values
 * (disable, allow, prefer, require, verify-ca, verify-full); {@code require} encrypts without
 * verifying, the verify modes check the server against {@code sslrootcert}.
 */
public record PgUrl(String host, int port, String database, String user, String password, String sslMode,
    String sslRootCert) {

  public PgUrl(String host, int port, String database, String user, String password) {
    this(host, port, database, user, password, null, null);
  }

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
    String sslMode = null;
    String rootCert = null;
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        String[] p = kv.split("=", 2);
        String v = p.length > 1 ? decode(p[1]) : "";
        switch (p[0]) {
          case "sslmode" -> {
            try {
              SslMode.of(v);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("pg.url: sslmode must be one of disable, allow, prefer, require, "
                  + "verify-ca, verify-full");
            }
            sslMode = v;
          }
          case "sslrootcert" -> rootCert = v;
          default -> throw new IllegalArgumentException("pg.url: unknown parameter '" + p[0]
              + "' (supported: sslmode, sslrootcert)");
        }
      }
    }
    return new PgUrl(uri.getHost() == null ? "127.0.0.1" : uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
        db, user, password, sslMode, rootCert);
  }

  private static String decode(String s) {
    // userinfo is RFC 3986 percent-encoding, not form encoding: a '+' is a literal plus
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  public String jdbcUrl() {
    String query = (sslMode == null ? "" : "&sslmode=" + sslMode) + (sslRootCert == null ? "" : "&sslrootcert=" + sslRootCert);
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + (query.isEmpty() ? "" : "?" + query.substring(1));
  }

  public PgUrl withDatabase(String db) {
    return new PgUrl(host, port, db, user, password, sslMode, sslRootCert);
  }

  public PgConnectOptions connectOptions() {
    PgConnectOptions o = new PgConnectOptions().setHost(host).setPort(port).setDatabase(database).setUser(user)
        .setPassword(password).setCachePreparedStatements(true).setPreparedStatementCacheMaxSize(256)
        .setPipeliningLimit(64);
    if (sslMode != null) {
      SslMode mode = SslMode.of(sslMode);
      o.setSslMode(mode);
      ClientSSLOptions ssl = new ClientSSLOptions();
      if (sslRootCert != null) {
        ssl.setTrustOptions(new PemTrustOptions().addCertPath(sslRootCert));
      } else if (mode != SslMode.VERIFY_CA && mode != SslMode.VERIFY_FULL) {
        // libpq's "require": encrypted, the server not verified
        ssl.setTrustAll(true);
      }
      if (mode == SslMode.VERIFY_FULL) {
        ssl.setHostnameVerificationAlgorithm("HTTPS");
      }
      o.setSslOptions(ssl);
    }
    return o;
  }

  /** The URL without the password, for logs. */
  public String redacted() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    String query = (sslMode == null ? "" : "&sslmode=" + sslMode) + (sslRootCert == null ? "" : "&sslrootcert=" + sslRootCert);
    return "postgresql://" + user + (password.isEmpty() ? "" : ":" + password) + "@" + host + ":" + port + "/" + database
        + (query.isEmpty() ? "" : "?" + query.substring(1));
  }
}
