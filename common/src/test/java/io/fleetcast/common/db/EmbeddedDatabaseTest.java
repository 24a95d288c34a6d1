package io.fleetcast.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.common.security.PrivateDirectory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded Postgres as a local attacker and a crash see it: password only, private binaries, one owner, crash-safe restarts. */
@Timeout(300)
class EmbeddedDatabaseTest {

  static Connection connect(int port, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
  }

  static int selectOne(int port, String password) throws SQLException {
    try (Connection c = connect(port, password); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** A local user without the generated password (kept 0600) is refused; with it the server answers; binaries are private. */
  @Test
  void onlyThePasswordGetsIn() throws Exception {
    Path home = Files.createTempDirectory("fc-epg-auth");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(home, 0)) {
      int port = db.url().port();
      String password = Files.readString(db.layout().passwordFile()).strip();
      assertThat(db.url().password()).isEqualTo(password).hasSizeGreaterThanOrEqualTo(40);

      assertThat(selectOne(port, password)).isEqualTo(1);
      assertThatThrownBy(() -> selectOne(port, null)).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> selectOne(port, "postgres")).isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db.layout().passwordFile())))
          .isEqualTo("rw-------");
      Path bin = db.layout().binaries();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bin))).isEqualTo("rwx------");
      assertThat(((Number) Files.getAttribute(bin, "unix:uid")).longValue()).isEqualTo(PrivateDirectory.currentUid());
      try (Stream<Path> s = Files.list(bin)) {
        assertThat(s.filter(d -> Files.isExecutable(d.resolve("bin/postgres"))).count()).as("binaries extracted here").isEqualTo(1);
      }
      // no Unix socket anywhere: the only way in is TCP on loopback with the password
      assertThat(Files.exists(Path.of("/tmp/.s.PGSQL." + port))).isFalse();
    }
  }

  /** A data directory an older Fleetcast created with trust authentication is password-protected on the next start, data kept. */
  @Test
  void trustDataDirectoryIsMigrated() throws Exception {
    Path home = Files.createTempDirectory("fc-epg-migrate");
    Path zonkyWork = Files.createTempDirectory("fc-epg-zonky");
    // GIVEN a data directory as the old code made it: zonky defaults, trust for everyone
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(home.resolve("postgres"))
        .setCleanDataDirectory(false).setOverrideWorkingDirectory(zonkyWork.toFile())
        .setServerConfig("listen_addresses", "127.0.0.1").start()) {
      assertThat(selectOne(old.getPort(), null)).as("old layout trusts anyone").isEqualTo(1);
      try (Connection c = connect(old.getPort(), null); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept(v int); INSERT INTO kept VALUES (42)");
      }
    }
    // WHEN the new code starts on it
    try (EmbeddedDatabase db = EmbeddedDatabase.start(home, 0)) {
      int port = db.url().port();
      // THEN no password is refused, the generated one works, and the data is still there
      assertThatThrownBy(() -> selectOne(port, null)).isInstanceOf(SQLException.class);
      try (Connection c = connect(port, db.url().password()); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
      assertThat(Files.readString(db.layout().postgresData().resolve("pg_hba.conf"))).doesNotContain("trust");
    }
  }

  /** A second start on a data directory in use fails at once with a message naming it, and the first keeps running. */
  @Test
  void secondStartOnSameDataDirectoryIsRefusedClearly() throws Exception {
    Path home = Files.createTempDirectory("fc-epg-twice");
    try (EmbeddedDatabase first = EmbeddedDatabase.start(home, 0)) {
      assertThatThrownBy(() -> EmbeddedDatabase.start(home, 0))
          .hasMessageContaining("another Fleetcast is running on this data directory (" + home.toAbsolutePath().normalize() + ")");
      assertThat(selectOne(first.url().port(), first.url().password())).isEqualTo(1);
    }
  }

  /** After kill -9 of the process that ran it, the postmaster it left behind is stopped and the next start comes up by itself. */
  @Test
  void restartAfterKill9ComesUp() throws Exception {
    Path home = Files.createTempDirectory("fc-epg-crash");
    Path log = home.resolveSibling(home.getFileName() + ".log");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", System.getProperty("java.class.path"), EmbeddedDatabaseChild.class.getName(), home.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(log).contains("READY port=")) {
        assertThat(child.isAlive()).as("child alive; log: %s", Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as("child ready in time; log: %s", Files.readString(log)).isLessThan(end);
        Thread.sleep(100);
      }
      // WHEN the JVM is killed: its postmaster lives on
      child.destroyForcibly().waitFor();
      ProcessHandle orphan = StalePostmaster.find(home.resolve("postgres")).orElseThrow(
          () -> new AssertionError("the crash should leave the postmaster running"));

      // THEN the next start stops it and comes up (not after a 60 s wait for a second server)
      try (EmbeddedDatabase db = EmbeddedDatabase.start(home, 0)) {
        assertThat(selectOne(db.url().port(), db.url().password())).isEqualTo(1);
        assertThat(orphan.isAlive()).isFalse();
        assertThat(StalePostmaster.find(home.resolve("postgres")).map(ProcessHandle::pid)).isNotEqualTo(
            java.util.Optional.of(orphan.pid()));
      }
    } finally {
      child.destroyForcibly();
      StalePostmaster.find(home.resolve("postgres")).ifPresent(ProcessHandle::destroy);
    }
  }

  /** A pid file naming a process that is not this data directory's postgres (a reused pid) is never acted on. */
  @Test
  void aReusedPidIsNotMistakenForThePostmaster() throws IOException {
    Path dir = Files.createTempDirectory("fc-epg-pid");
    Files.writeString(dir.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + dir + "\n");
    assertThat(StalePostmaster.find(dir)).isEmpty();
    Files.writeString(dir.resolve("postmaster.pid"), "not-a-pid\n");
    assertThat(StalePostmaster.find(dir)).isEmpty();
  }
}
