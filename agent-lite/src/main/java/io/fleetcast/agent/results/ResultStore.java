package io.fleetcast.agent.results;

import io.fleetcast.agent.config.StateDir;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.AgentMessage.Result;
import io.fleetcast.protocol.log.Kv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Results not yet acknowledged by a node, one file each in {@code state-dir/results/}
 * (named by the base64url of the task id). A result is written here, durably, BEFORE it is
 * sent, and deleted only when a {@code resultAck} for it arrives; so a crash at any point
 * loses nothing and the agent re-sends everything here after each (re)connect.
 * File calls block (worker thread); the in-memory index is thread-safe.
 */
public final class ResultStore {
  private static final Logger LOG = Logger.getLogger(ResultStore.class.getName());
  private static final String SUFFIX = ".json";

  private final Path dir;
  private final Map<String, Result> pending = new LinkedHashMap<>();

  public ResultStore(StateDir state) {
    this.dir = state.results();
  }

  /** Loads what a previous run left unacknowledged; unreadable files are moved aside, not lost. */
  public synchronized List<Result> load() throws IOException {
    pending.clear();
    List<Result> loaded = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        try {
          if (AgentMessage.decode(Files.readString(f)) instanceof Result r) {
            loaded.add(r);
            continue;
          }
        } catch (RuntimeException | IOException e) {
          LOG.warning(Kv.event("results.unreadable").kv("file", f.getFileName()).kv("error", e.getMessage())
              .toString());
        }
        Files.move(f, f.resolveSibling(f.getFileName() + ".bad"));
      }
    }
    loaded.sort(Comparator.comparing(r -> r.finishedAt() == null ? Instant.EPOCH : r.finishedAt()));
    loaded.forEach(r -> pending.put(r.taskId(), r));
    return loaded;
  }

  public void put(Result r) throws IOException {
    StateDir.writeAtomically(file(r.taskId()), r.encode());
    synchronized (this) {
      pending.put(r.taskId(), r);
    }
  }

  /** @return true when the result was pending */
  public boolean remove(String taskId) throws IOException {
    boolean had;
    synchronized (this) {
      had = pending.remove(taskId) != null;
    }
    return Files.deleteIfExists(file(taskId)) || had;
  }

  public synchronized Optional<Result> get(String taskId) {
    return Optional.ofNullable(pending.get(taskId));
  }

  public synchronized List<Result> pending() {
    return new ArrayList<>(pending.values());
  }

  public synchronized int size() {
    return pending.size();
  }

  private Path file(String taskId) {
    return dir.resolve(Base64.getUrlEncoder().withoutPadding()
        .encodeToString(taskId.getBytes(StandardCharsets.UTF_8)) + SUFFIX);
  }
}
