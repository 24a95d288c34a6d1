package io.fleetcast.agent.enroll;

import io.fleetcast.agent.config.StateDir;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Loads and saves {@code credentials.json} (mode 0600). Blocking: call on a worker thread. */
public final class CredentialStore {
  private final Path file;

  public CredentialStore(StateDir dir) {
    this.file = dir.credentials();
  }

  public Optional<Credentials> load() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Credentials.fromJson(new JsonObject(Files.readString(file))));
    } catch (RuntimeException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public void save(Credentials c) throws IOException {
    StateDir.writeAtomically(file, c.toJson().encodePrettily());
  }
}
