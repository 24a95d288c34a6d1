package io.fleetcast.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.config.StateDir;
import io.fleetcast.protocol.AgentMessage.Result;
import io.fleetcast.protocol.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskHistoryTest {
  @TempDir
  Path dir;

  private TaskHistory open(StateDir state, int max, Clock clock) throws Exception {
    TaskHistory h = new TaskHistory(state, max, Duration.ofDays(1), clock);
    h.load();
    return h;
  }

  /** Accepted and finished ids survive a restart; an accepted-only id shows up as interrupted. */
  @Test
  void survivesRestart() throws Exception {
    StateDir state = new StateDir(dir);
    state.open();
    Instant deadline = Instant.now().plusSeconds(600);
    TaskHistory h = open(state, 100, Clock.systemUTC());
    h.markAccepted("a", deadline);
    h.markAccepted("b", deadline);
    h.markFinished(new Result("a", TaskStatus.SUCCEEDED, 0, "out", Instant.now(), Instant.now()), deadline);
    h.close();

    TaskHistory again = open(state, 100, Clock.systemUTC());

    assertThat(again.get("a")).get().extracting(TaskHistory.Entry::state).isEqualTo(TaskHistory.State.FINISHED);
    assertThat(again.get("a").get().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(again.unfinished()).extracting(TaskHistory.Entry::taskId).containsExactly("b");
    assertThat(again.get("c")).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.history()))).isEqualTo("rw-------");
    again.close();
  }

  /** Bounded: old ids whose deadline passed are dropped beyond maxEntries; live deadlines are kept. */
  @Test
  void compactsToBound() throws Exception {
    StateDir state = new StateDir(dir);
    state.open();
    Instant longAgo = Instant.parse("2020-01-01T00:00:00Z");
    TaskHistory h = open(state, 10, Clock.fixed(longAgo, ZoneOffset.UTC));
    for (int i = 0; i < 30; i++) {
      h.markAccepted("old-" + i, longAgo.plusSeconds(60));
      h.markFinished(new Result("old-" + i, TaskStatus.SUCCEEDED, 0, "", longAgo, longAgo), null);
    }
    h.markAccepted("live", Instant.now().plus(Duration.ofDays(3)));
    h.close();

    TaskHistory later = open(state, 10, Clock.systemUTC());

    assertThat(later.size()).isEqualTo(10);
    assertThat(later.get("live")).isPresent();
    assertThat(later.get("old-29")).isPresent();
    assertThat(later.get("old-0")).isEmpty();
    assertThat(Files.readAllLines(state.history())).hasSize(10);
    later.close();
  }

  /** A torn last line (crash mid-append) is skipped, not fatal. */
  @Test
  void toleratesTornLine() throws Exception {
    StateDir state = new StateDir(dir);
    state.open();
    TaskHistory h = open(state, 10, Clock.systemUTC());
    h.markAccepted("x", Instant.now().plusSeconds(60));
    h.close();
    Files.writeString(state.history(), Files.readString(state.history()) + "{\"id\":\"y\",\"s");

    TaskHistory again = open(state, 10, Clock.systemUTC());

    assertThat(again.get("x")).isPresent();
    assertThat(again.get("y")).isEmpty();
    again.close();
  }
}
