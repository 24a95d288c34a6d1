package io.fleetcast.common.db;

import io.fleetcast.common.log.Kv;
import io.fleetcast.common.security.SecretFiles;
import io.fleetcast.common.security.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.logging.Logger;

/**
 * Password authentication for the embedded Postgres. initdb (run by zonky) trusts every local
 * user; before the server first listens, and on every start after, the superuser gets the
 * generated password (kept 0600 in the data directory) and {@code pg_hba.conf} allows only
 * SCRAM-SHA-256 over TCP on loopback. The password is set in single-user mode, which opens no
 * socket at all, so an old trust-configured data directory is migrated without a window in
 * which anyone could connect without it.
 */
final class PgPassword {
  private static final Logger LOG = Logger.getLogger(PgPassword.class.getName());
  static final String HBA = """
      # Managed by Fleetcast: rewritten at every start of the embedded Postgres.
      # Password (SCRAM-SHA-256) only, over TCP on loopback; no Unix socket is opened.
      # TYPE  DATABASE  USER  ADDRESS        METHOD
      host    all       all   127.0.0.1/32   scram-sha-256
      host    all       all   ::1/128        scram-sha-256
      """;

  private final String password;
  private final boolean generated;

  private PgPassword(String password, boolean generated) {
    this.password = password;
    this.generated = generated;
  }

  String value() {
    return password;
  }

  /** {@code text} without the password (a server error may quote the statement). */
  private String redact(String text) {
    return text == null ? "" : text.replace(password, "***");
  }

  /** The password in {@code file}, or a new one written there (0600). */
  static PgPassword loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        // the file may predate us or have been copied around: keep it owner-only
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      String pw = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (pw.isEmpty()) {
        throw new IOException(file + " is empty; delete it to have a new Postgres password generated");
      }
      return new PgPassword(pw, false);
    }
    String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(Tokens.randomBytes(32));
    SecretFiles.create(file, pw + "\n");
    return new PgPassword(pw, true);
  }

  /**
   * Runs before the postmaster starts (and after any stale one was stopped): sets the superuser's
   * password when the data directory is not ours yet (fresh from initdb, or created with trust by
   * an older Fleetcast) or the password file is new, then writes the managed {@code pg_hba.conf}.
   */
  void apply(Path dataDir, PgBinaries binaries) {
    Path hba = dataDir.resolve("pg_hba.conf");
    try {
      boolean managed = Files.exists(hba) && Files.readString(hba).equals(HBA);
      if (!managed || generated) {
        setSuperuserPassword(dataDir, binaries);
        LOG.info(Kv.event("embedded_pg.password_set", "dir", dataDir, "reason", managed ? "new password file"
            : "data directory not yet password-protected"));
      }
      if (!managed) {
        Path tmp = dataDir.resolve("pg_hba.conf.fleetcast-new");
        Files.writeString(tmp, HBA, StandardCharsets.UTF_8);
        Files.move(tmp, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot configure password authentication in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private void setSuperuserPassword(Path dataDir, PgBinaries binaries) {
    // the password travels on stdin, never on a command line; the server stores only its SCRAM verifier
    String sql = "SET password_encryption = 'scram-sha-256'\nALTER ROLE postgres WITH PASSWORD '" + password + "'\n";
    String out;
    try {
      out = binaries.run("postgres", List.of("--single", "-D", dataDir.toString(), "postgres"), sql,
          Duration.ofSeconds(120));
    } catch (IllegalStateException e) {
      throw new IllegalStateException("cannot set the embedded Postgres password: " + redact(e.getMessage()));
    }
    if (out.contains("ERROR:") || out.contains("FATAL:")) {
      throw new IllegalStateException("cannot set the embedded Postgres password: " + redact(out.strip()));
    }
  }
}
