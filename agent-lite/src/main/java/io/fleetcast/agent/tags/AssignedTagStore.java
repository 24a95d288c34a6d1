package io.fleetcast.agent.tags;

import io.fleetcast.agent.config.StateDir;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Loads and saves {@code assigned-tags.json} next to the credentials (mode 0600). Blocking: call on a worker. */
public final class AssignedTagStore {
  private final Path file;

  public AssignedTagStore(StateDir dir) {
    this.file = dir.assignedTags();
  }

  public Optional<List<String>> load() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonArray arr = new JsonObject(Files.readString(file)).getJsonArray("tags");
      List<String> tags = new ArrayList<>();
      for (Object o : arr) {
        if (o instanceof String s && !s.isBlank()) {
          tags.add(s);
        }
      }
      return Optional.of(List.copyOf(tags));
    } catch (RuntimeException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public void save(List<String> tags) throws IOException {
    StateDir.writeAtomically(file, new JsonObject().put("tags", new JsonArray(new ArrayList<>(tags))).encodePrettily());
  }
}
