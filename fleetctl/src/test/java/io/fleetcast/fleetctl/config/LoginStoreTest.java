package io.fleetcast.fleetctl.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginStoreTest {

  /** The saved login is owner-only (file 0600, new directory 0700) and reads back as written. */
  @Test
  void writesOwnerOnlyAndReadsBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("new/fleetctl.json");
    LoginStore store = new LoginStore(file);
    store.write(new Login("http://127.0.0.1:8080", "fct_secret"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(store.read()).contains(new Login("http://127.0.0.1:8080", "fct_secret"));
  }

  /** Replacing a login that was made world-readable by hand leaves an owner-only file. */
  @Test
  void overwriteTightensPermissions(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("fleetctl.json");
    Files.writeString(file, "{\"url\":\"http://old\",\"token\":\"old\"}");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    new LoginStore(file).write(new Login("http://new", "new"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(new LoginStore(file).read()).contains(new Login("http://new", "new"));
    try (var files = Files.list(dir)) {
      assertThat(files.count()).as("no temporary file left behind").isEqualTo(1);
    }
  }

  /** No file: no login. */
  @Test
  void missingFileIsNoLogin(@TempDir Path dir) {
    assertThat(new LoginStore(dir.resolve("none.json")).read()).isEmpty();
  }
}
