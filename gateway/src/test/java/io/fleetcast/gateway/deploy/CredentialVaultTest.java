package io.fleetcast.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials at rest: AES-GCM under a 0600 key file, bound to the job, never in toString. */
class CredentialVaultTest {

  /** Sealed credentials open again with the same key and job; the ciphertext holds no plain secret. */
  @Test
  void roundTrip(@TempDir Path dir) throws Exception {
    Path key = dir.resolve(CredentialVault.KEY_FILE);
    CredentialVault v = CredentialVault.loadOrCreate(key);
    SshCredentials c = new SshCredentials("deploy", "s3cret-pass", null, null, 22);
    String sealed = v.seal(c, "job-1");
    assertThat(sealed).doesNotContain("s3cret");
    assertThat(CredentialVault.loadOrCreate(key).open(sealed, "job-1")).isEqualTo(c);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    assertThat(c.toString()).doesNotContain("s3cret");
    assertThat(c.publicJson().encode()).doesNotContain("s3cret");
  }

  /** A ciphertext moved to another job, or read with another key, does not decrypt. */
  @Test
  void boundToJobAndKey(@TempDir Path dir) {
    CredentialVault v = CredentialVault.loadOrCreate(dir.resolve("a.key"));
    String sealed = v.seal(new SshCredentials("u", "p", null, null, 22), "job-1");
    assertThatThrownBy(() -> v.open(sealed, "job-2")).hasMessageContaining("cannot decrypt");
    assertThatThrownBy(() -> CredentialVault.loadOrCreate(dir.resolve("b.key")).open(sealed, "job-1"))
        .hasMessageContaining("cannot decrypt");
  }
}
