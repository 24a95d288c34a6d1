package io.fleetcast.gateway.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveInspectorTest {
  @TempDir
  Path dir;

  static Path zip(Path file, String... names) throws Exception {
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
      for (String n : names) {
        z.putNextEntry(new ZipEntry(n));
        z.write(n.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return file;
  }

  static Path tarGz(Path file, String... names) throws Exception {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (String n : names) {
        byte[] b = n.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(n);
        e.setSize(b.length);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  /** A zip and a tar.gz list their files with sizes. */
  @Test
  void listsFiles() throws Exception {
    JsonArray z = ArchiveInspector.files(zip(dir.resolve("p.zip"), "setup.sh", "lib/a.so"), "p.zip", "zip");
    assertThat(z).containsExactly(new JsonObject().put("path", "setup.sh").put("size", 8L),
        new JsonObject().put("path", "lib/a.so").put("size", 8L));
    JsonArray t = ArchiveInspector.files(tarGz(dir.resolve("p.tar.gz"), "bin/run"), "p.tar.gz", "tar.gz");
    assertThat(t.getJsonObject(0).getString("path")).isEqualTo("bin/run");
    assertThat(ArchiveInspector.kind("x.TGZ")).isEqualTo("tar.gz");
    assertThat(ArchiveInspector.kind("x.msi")).isNull();
  }

  /** Zip-slip: ../ paths, absolute paths and drive letters are refused, in zip and tar.gz. */
  @Test
  void zipSlipIsRefused() throws Exception {
    Path evil = zip(dir.resolve("evil.zip"), "ok.txt", "../../etc/cron.d/x");
    assertThatThrownBy(() -> ArchiveInspector.files(evil, "evil.zip", "zip"))
        .isInstanceOf(ArchiveInspector.BadArchive.class).hasMessageContaining("zip-slip");
    Path evilTar = tarGz(dir.resolve("evil.tar.gz"), "a/../../b");
    assertThatThrownBy(() -> ArchiveInspector.files(evilTar, "evil.tar.gz", "tar.gz"))
        .hasMessageContaining("zip-slip");
    assertThatThrownBy(() -> ArchiveInspector.check("/etc/passwd")).hasMessageContaining("absolute");
    assertThatThrownBy(() -> ArchiveInspector.check("C:\\Windows\\x")).hasMessageContaining("absolute");
    assertThatThrownBy(() -> ArchiveInspector.check("a\\..\\..\\b")).hasMessageContaining("zip-slip");
  }

  /** A file named .zip that is not one is a clear error. */
  @Test
  void notAnArchive() throws Exception {
    Path f = Files.writeString(dir.resolve("fake.zip"), "hello");
    assertThatThrownBy(() -> ArchiveInspector.files(f, "fake.zip", "zip")).hasMessageContaining("not a readable zip");
  }
}
