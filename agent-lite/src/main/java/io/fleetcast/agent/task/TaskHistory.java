package io.fleetcast.agent.task;

import io.fleetcast.agent.config.StateDir;
import io.fleetcast.protocol.AgentMessage.Result;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The ids of every task this agent accepted, so that no task id ever runs twice, across
 * restarts too. An id is appended (and fsynced) to {@code history.jsonl} BEFORE its task runs;
 * a second line records how it finished. Bounded: on start the file is compacted to the newest
 * {@code maxEntries} ids plus every id accepted within {@code window} or whose deadline has not
 * passed (with a day of clock-skew margin). Forgetting an id whose signed deadline has passed is
 * safe: a replay of that task is rejected for its deadline anyway.
 *
 * <p>Thread-safe; file calls block (worker thread).
 */
public final class TaskHistory {
  private static final Logger LOG = Logger.getLogger(TaskHistory.class.getName());
  private static final Duration DEADLINE_MARGIN = Duration.ofDays(1);

  public enum State { ACCEPTED, FINISHED }

  /** One task id's record; {@code status} and later fields are set once it finished. */
  public record Entry(String taskId, State state, Instant acceptedAt, Instant deadline, TaskStatus status,
      Integer exitCode, Instant startedAt, Instant finishedAt) {

    JsonObject toJson() {
      JsonObject j = new JsonObject().put("id", taskId).put("s", state == State.ACCEPTED ? "a" : "f")
          .put("at", acceptedAt.toEpochMilli());
      if (deadline != null) {
        j.put("dl", deadline.toEpochMilli());
      }
      if (status != null) {
        j.put("st", status.wire()).put("ec", exitCode);
        if (startedAt != null) {
          j.put("sa", startedAt.toEpochMilli());
        }
        if (finishedAt != null) {
          j.put("fa", finishedAt.toEpochMilli());
        }
      }
      return j;
    }

    static Entry fromJson(JsonObject j) {
      return new Entry(j.getString("id"), "f".equals(j.getString("s")) ? State.FINISHED : State.ACCEPTED,
          instant(j.getLong("at")), instant(j.getLong("dl")),
          j.getString("st") == null ? null : TaskStatus.fromWire(j.getString("st")).orElse(TaskStatus.FAILED),
          j.getInteger("ec"), instant(j.getLong("sa")), instant(j.getLong("fa")));
    }

    private static Instant instant(Long millis) {
      return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** A stand-in for a result that was acknowledged and forgotten, for re-answering a duplicate task. */
    public Result summaryResult() {
      return new Result(taskId, status == null ? TaskStatus.FAILED : status, exitCode,
          "[fleetcast] duplicate delivery: this task already ran; its output was acknowledged and discarded",
          startedAt, finishedAt);
    }
  }

  private final Path file;
  private final int maxEntries;
  private final Duration window;
  private final Clock clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
  private FileChannel out;
  private int linesWritten;

  public TaskHistory(StateDir state, int maxEntries, Duration window, Clock clock) {
    this.file = state.history();
    this.maxEntries = maxEntries;
    this.window = window;
    this.clock = clock;
  }

  /** Reads the file (the last line for an id wins), compacts it and opens it for appending. */
  public synchronized void load() throws IOException {
    entries.clear();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          Entry e = Entry.fromJson(new JsonObject(line));
          if (e.taskId() != null) {
            Entry prev = entries.remove(e.taskId());
            // keep the original acceptance order and time
            entries.put(e.taskId(), prev == null ? e : new Entry(e.taskId(), e.state(), prev.acceptedAt(),
                prev.deadline(), e.status(), e.exitCode(), e.startedAt(), e.finishedAt()));
          }
        } catch (RuntimeException torn) {
          // a crash mid-append leaves at most one torn last line
          LOG.warning("event=history.line.skipped reason=unparsable");
        }
      }
    }
    evict();
    rewrite();
  }

  public synchronized Optional<Entry> get(String taskId) {
    return Optional.ofNullable(entries.get(taskId));
  }

  public synchronized int size() {
    return entries.size();
  }

  /** Accepted but never finished: the agent stopped while they ran. */
  public synchronized List<Entry> unfinished() {
    return entries.values().stream().filter(e -> e.state() == State.ACCEPTED).toList();
  }

  /** Durably records that {@code taskId} is accepted; call BEFORE running it. */
  public synchronized void markAccepted(String taskId, Instant deadline) throws IOException {
    Entry e = new Entry(taskId, State.ACCEPTED, clock.instant(), deadline, null, null, null, null);
    entries.put(taskId, e);
    append(e);
  }

  /** Records how {@code r}'s task finished; {@code deadline} is used when the id was never accepted (rejected). */
  public synchronized void markFinished(Result r, Instant deadline) throws IOException {
    Entry prev = entries.get(r.taskId());
    Entry e = new Entry(r.taskId(), State.FINISHED, prev == null ? clock.instant() : prev.acceptedAt(),
        prev == null ? deadline : prev.deadline(), r.status(), r.exitCode(), r.startedAt(), r.finishedAt());
    if (prev == null) {
      entries.put(r.taskId(), e);
    } else {
      entries.replace(r.taskId(), e);
    }
    append(e);
  }

  public synchronized void close() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException ignored) {
      // closing at shutdown
    }
    out = null;
  }

  private void append(Entry e) throws IOException {
    if (out == null) {
      throw new IOException("task history is closed");
    }
    ByteBuffer buf = ByteBuffer.wrap((e.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8));
    while (buf.hasRemaining()) {
      out.write(buf);
    }
    out.force(false);
    if (++linesWritten > 2 * maxEntries + 1000) {
      evict();
      rewrite();
    }
  }

  private void evict() {
    Instant now = clock.instant();
    int excess = entries.size() - maxEntries;
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (excess > 0 && it.hasNext()) {
      Entry e = it.next().getValue();
      boolean recent = e.acceptedAt().isAfter(now.minus(window));
      boolean deadlineAlive = e.deadline() != null && e.deadline().plus(DEADLINE_MARGIN).isAfter(now);
      if (!recent && !deadlineAlive && e.state() == State.FINISHED) {
        it.remove();
        excess--;
      }
    }
  }

  private void rewrite() throws IOException {
    close();
    StringBuilder sb = new StringBuilder();
    List<Entry> all = new ArrayList<>(entries.values());
    for (Entry e : all) {
      sb.append(e.toJson().encode()).append('\n');
    }
    StateDir.writeAtomically(file, sb.toString());
    linesWritten = all.size();
    out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }
}
