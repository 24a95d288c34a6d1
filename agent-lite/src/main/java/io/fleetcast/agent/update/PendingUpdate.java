package io.fleetcast.agent.update;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The self-update in progress, in {@code <installDir>/update.json}; the agent and its launcher
 * hand it back and forth across the restart. Stages: {@code STAGED} (new jar verified and in
 * place, agent about to exit), {@code STARTED} (launcher switched to it and started it),
 * {@code CONFIRMED} (the new version connected and reported itself), {@code ROLLED_BACK}
 * (it did not in time: the launcher went back to the previous jar, {@code reason} says why).
 * Written atomically (temp file, fsync, rename).
 */
public record PendingUpdate(String taskId, String fromVersion, String toVersion, Stage stage,
    long connectTimeoutSeconds, long startedAtMillis, String reason) {
  public static final String FILE = "update.json";

  public enum Stage { STAGED, STARTED, CONFIRMED, ROLLED_BACK }

  public PendingUpdate with(Stage s, String why) {
    return new PendingUpdate(taskId, fromVersion, toVersion, s, connectTimeoutSeconds,
        s == Stage.STARTED ? System.currentTimeMillis() : startedAtMillis, why);
  }

  public long deadlineMillis() {
    return startedAtMillis + connectTimeoutSeconds * 1000;
  }

  public static Optional<PendingUpdate> read(Path installDir) throws IOException {
    Path f = installDir.resolve(FILE);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    JsonObject j = new JsonObject(Files.readString(f));
    return Optional.of(new PendingUpdate(j.getString("taskId"), j.getString("from"), j.getString("to"),
        Stage.valueOf(j.getString("stage")), j.getLong("connectTimeoutSeconds", 120L), j.getLong("startedAt", 0L),
        j.getString("reason")));
  }

  public void write(Path installDir) throws IOException {
    JsonObject j = new JsonObject().put("taskId", taskId).put("from", fromVersion).put("to", toVersion)
        .put("stage", stage.name()).put("connectTimeoutSeconds", connectTimeoutSeconds).put("startedAt", startedAtMillis)
        .put("reason", reason);
    Path tmp = installDir.resolve(FILE + ".tmp");
    Files.writeString(tmp, j.encode(), StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, installDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public static void clear(Path installDir) throws IOException {
    Files.deleteIfExists(installDir.resolve(FILE));
  }
}
