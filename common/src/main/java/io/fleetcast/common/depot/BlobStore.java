package io.fleetcast.common.depot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Content-addressed blobs on disk: {@code <dir>/<sha256>}. A blob only appears under its name
 * after its hash matched (an atomic move from a temporary file), so a reader never sees a
 * partial or wrong blob. Blocking: call from a worker.
 */
public final class BlobStore {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;

  public BlobStore(Path dir) {
    this.dir = dir;
  }

  public static boolean isSha256(String s) {
    return s != null && SHA256.matcher(s).matches();
  }

  public Path dir() {
    return dir;
  }

  public Path path(String sha256) {
    if (!isSha256(sha256)) {
      throw new IllegalArgumentException("not a lower-case sha256: " + sha256);
    }
    return dir.resolve(sha256);
  }

  public boolean has(String sha256) {
    return isSha256(sha256) && Files.isRegularFile(dir.resolve(sha256));
  }

  /** A fresh temporary file in the store's directory (same file system, so the final move is atomic). */
  public Path newTemp() throws IOException {
    Files.createDirectories(dir);
    return Files.createTempFile(dir, ".incoming-", ".part");
  }

  /** Moves a verified temporary file into place under its hash. */
  public Path adopt(Path temp, String sha256) throws IOException {
    Path target = path(sha256);
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  public boolean delete(String sha256) throws IOException {
    return isSha256(sha256) && Files.deleteIfExists(dir.resolve(sha256));
  }

  public static String sha256(Path file) throws IOException {
    return io.fleetcast.protocol.Sha256.ofFile(file);
  }
}
