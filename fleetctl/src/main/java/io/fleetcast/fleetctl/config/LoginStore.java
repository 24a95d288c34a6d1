package io.fleetcast.fleetctl.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetcast.fleetctl.CliException;
import io.fleetcast.fleetctl.ExitCodes;
import io.fleetcast.fleetctl.output.Json;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The saved login: a small JSON file ({@code url}, {@code token}) readable only by its owner,
 * since the token is a credential. Written to a temporary file first and moved into place so
 * that a crash never leaves half a file, and the token is never readable by others, not even
 * for a moment.
 */
public final class LoginStore {
  private final Path file;

  public LoginStore(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  public Optional<Login> read() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode j = Json.parse(Files.readString(file));
      String url = j.path("url").asText(null);
      String token = j.path("token").asText(null);
      return url == null ? Optional.empty() : Optional.of(new Login(url, token));
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot read " + file + ": " + e.getMessage());
    }
  }

  public void write(Login login) {
    ObjectNode j = Json.object().put("url", login.url()).put("token", login.token());
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      Path tmp = posix
          ? Files.createTempFile(dir, ".fleetctl", ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : Files.createTempFile(dir, ".fleetctl", ".tmp");
      try {
        Files.writeString(tmp, Json.pretty(j) + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot write " + file + ": " + e.getMessage());
    }
  }
}
