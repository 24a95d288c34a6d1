package io.fleetcast.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.common.config.Setting;
import io.fleetcast.common.config.Settings;
import io.fleetcast.common.db.PgUrl;
import io.fleetcast.gateway.testing.ServerProcess;
import io.fleetcast.gateway.testing.Waits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The tool subcommands of fleetcast.jar as a user runs them: {@code settings} and {@code postgres}. */
@Timeout(300)
class ToolCommandsTest {

  /** {@code fleetcast settings} prints the catalogue as the README's markdown table, one row per setting, and exits 0. */
  @Test
  void settingsPrintsTheTable() {
    PrintStream out = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      code = new CommandLine(new Main()).execute("settings");
    } finally {
      System.setOut(out);
    }
    String table = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(table).startsWith("| setting (YAML path) |").isEqualTo(Settings.markdownTable());
    assertThat(table.lines().count()).isEqualTo(Settings.ALL.size() + 2);
    for (Setting s : Settings.ALL) {
      assertThat(table).contains("| `" + s.path() + "` | `" + s.envName() + "` |");
    }
  }

  /**
   * {@code fleetcast postgres} starts the embedded Postgres and prints a URL that works (with the
   * generated password; without it the server refuses); SIGTERM stops Postgres with it.
   */
  @Test
  void postgresPrintsAWorkingUrlAndStopsWithTheProcess() throws Exception {
    Path data = Files.createTempDirectory("fc-postgres-role").resolve("data");
    int port = ServerProcess.freePort();
    ServerProcess pg = ServerProcess.start("postgres-role", "postgres", port,
        Map.of("FLEETCAST_DATA_DIR", data.toString(), "FLEETCAST_PG_EMBEDDED_PORT", String.valueOf(port)),
        Path.of("target", "standalone-logs"));
    try {
      String line = Waits.until(() -> pg.log().lines().filter(l -> l.startsWith("FLEETCAST_PG_URL=")).findFirst()
          .orElseGet(() -> {
            assertThat(pg.alive()).as("postgres role alive; log: %s", pg.tail()).isTrue();
            return null;
          }), Duration.ofSeconds(180));
      PgUrl url = PgUrl.parse(line.substring("FLEETCAST_PG_URL=".length()));
      assertThat(url.port()).isEqualTo(port);
      assertThat(url.password()).isNotEmpty().isEqualTo(Files.readString(data.resolve("postgres-password")).strip());
      assertThat(select(url, url.password())).isEqualTo(1);
      assertThatThrownBy(() -> select(url, null)).isInstanceOf(SQLException.class);

      // WHEN the process is asked to stop, THEN Postgres stops with it
      pg.close();
      assertThat(pg.alive()).isFalse();
      assertThat(data.resolve("postgres/postmaster.pid")).doesNotExist();
    } finally {
      pg.kill9();
      Path pid = data.resolve("postgres/postmaster.pid");
      if (Files.exists(pid)) { // a failed run must not leave the postmaster behind
        ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim())).ifPresent(ProcessHandle::destroy);
      }
    }
  }

  static int select(PgUrl url, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", url.user());
    if (password != null) {
      p.setProperty("password", password);
    }
    try (var c = DriverManager.getConnection(url.jdbcUrl(), p); var rs = c.createStatement().executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
