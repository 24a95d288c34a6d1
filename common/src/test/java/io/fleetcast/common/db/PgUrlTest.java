package io.fleetcast.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of {@code pg.url} / {@code FLEETCAST_PG_URL}. */
@Timeout(10)
class PgUrlTest {

  /** Every part of a full URL is read. */
  @Test
  void fullUrl() {
    // GIVEN a URL with every part
    // WHEN it is parsed
    PgUrl u = PgUrl.parse("postgresql://fleet:s3cret@db.example.org:6543/fleetcast");

    // THEN user, password, host, port and database are taken from it
    assertThat(u).isEqualTo(new PgUrl("db.example.org", 6543, "fleetcast", "fleet", "s3cret"));
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:6543/fleetcast");
    assertThat(u.redacted()).isEqualTo("postgresql://fleet@db.example.org:6543/fleetcast").doesNotContain("s3cret");
  }

  /** Missing parts take the Postgres defaults. */
  @Test
  void defaults() {
    // GIVEN URLs without user, port or database
    // WHEN they are parsed
    // THEN the usual defaults fill in
    assertThat(PgUrl.parse("postgresql://db")).isEqualTo(new PgUrl("db", 5432, "postgres", "postgres", ""));
    assertThat(PgUrl.parse("postgresql://db/")).isEqualTo(new PgUrl("db", 5432, "postgres", "postgres", ""));
    assertThat(PgUrl.parse("postgresql://bob@db:5433/x")).isEqualTo(new PgUrl("db", 5433, "x", "bob", ""));
  }

  /** A percent-encoded password is decoded, so that it may contain '@', ':' and '/'. */
  @Test
  void urlEncodedPassword() {
    // GIVEN a password with reserved characters, percent-encoded
    // WHEN the URL is parsed
    PgUrl u = PgUrl.parse("postgresql://us%40er:p%40ss%3Aw%2Frd%20x@db:5432/fc");

    // THEN user and password are decoded, the host is not confused
    assertThat(u.user()).isEqualTo("us@er");
    assertThat(u.password()).isEqualTo("p@ss:w/rd x");
    assertThat(u.host()).isEqualTo("db");
    assertThat(u.database()).isEqualTo("fc");
  }

  /** A '+' in a password is a literal plus (RFC 3986 userinfo), not a space. */
  @Test
  void plusInPasswordIsLiteral() {
    // GIVEN a password containing '+'
    // WHEN the URL is parsed
    PgUrl u = PgUrl.parse("postgresql://fleet:a+b@db/fc");

    // THEN the plus is kept
    assertThat(u.password()).isEqualTo("a+b");
  }

  /** The jdbc: prefix and the short postgres:// scheme are accepted. */
  @Test
  void jdbcPrefixAndShortScheme() {
    // GIVEN the same URL in three spellings
    PgUrl expected = new PgUrl("db", 5432, "fc", "u", "p");

    // WHEN they are parsed
    // THEN they are the same
    assertThat(PgUrl.parse("jdbc:postgresql://u:p@db:5432/fc")).isEqualTo(expected);
    assertThat(PgUrl.parse("postgres://u:p@db:5432/fc")).isEqualTo(expected);
    assertThat(PgUrl.parse("postgresql://u:p@db:5432/fc")).isEqualTo(expected);
  }

  /** Other schemes are refused with a message showing the expected form. */
  @ParameterizedTest
  @ValueSource(strings = {"mysql://u:p@db/fc", "http://db/fc", "db:5432/fc", "", "jdbc:mysql://db/fc"})
  void badSchemeIsRefused(String url) {
    // GIVEN a URL that is not a Postgres URL
    // WHEN it is parsed
    // THEN it is refused
    assertThatThrownBy(() -> PgUrl.parse(url)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgresql://");
  }

  /** The reactive client's options carry the same connection facts. */
  @Test
  void connectOptions() {
    // GIVEN a parsed URL
    PgUrl u = PgUrl.parse("postgresql://fleet:pw@10.0.0.9:6000/fc");

    // WHEN connect options are built
    PgConnectOptions o = u.connectOptions();

    // THEN they match it
    assertThat(o.getHost()).isEqualTo("10.0.0.9");
    assertThat(o.getPort()).isEqualTo(6000);
    assertThat(o.getDatabase()).isEqualTo("fc");
    assertThat(o.getUser()).isEqualTo("fleet");
    assertThat(o.getPassword()).isEqualTo("pw");
    assertThat(u.withDatabase("other").database()).isEqualTo("other");
  }

  /** sslmode and sslrootcert reach both the reactive client and the JDBC URL; unknown parameters are refused. */
  @Test
  void tlsParameters() {
    // GIVEN a URL asking for a verified TLS connection
    PgUrl u = PgUrl.parse("postgresql://fleet:pw@db.internal:5432/fleetcast?sslmode=verify-full&sslrootcert=/etc/ca.pem");
    // THEN both clients get it
    assertThat(u.sslMode()).isEqualTo("verify-full");
    assertThat(u.connectOptions().getSslMode()).isEqualTo(io.vertx.pgclient.SslMode.VERIFY_FULL);
    assertThat(u.connectOptions().getSslOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/fleetcast?sslmode=verify-full&sslrootcert=/etc/ca.pem");
    assertThat(u.withDatabase("x").sslMode()).isEqualTo("verify-full");
    assertThat(PgUrl.parse("postgresql://h/db?sslmode=require").connectOptions().getSslOptions().isTrustAll()).isTrue();
    assertThatThrownBy(() -> PgUrl.parse("postgresql://h/db?sslmode=sometimes")).hasMessageContaining("sslmode");
    assertThatThrownBy(() -> PgUrl.parse("postgresql://h/db?timeout=3")).hasMessageContaining("unknown parameter");
  }
}
