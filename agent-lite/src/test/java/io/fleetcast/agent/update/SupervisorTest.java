package io.fleetcast.agent.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's loop with scripted children (no JVMs; the real child-process path is tested in
 * the gateway's AgentSelfUpdateProcessTest): swap on exit 75, keep the previous jar, roll back a
 * version that exits or does not confirm in time.
 */
@Timeout(60)
class SupervisorTest {

  /** A scripted child: what it does is decided by the test from the version it was started as. */
  static final class Script implements ChildLauncher {
    final List<String> launched = new CopyOnWriteArrayList<>();
    final BiFunction<String, CompletableFuture<Integer>, Void> behaviour;

    Script(BiFunction<String, CompletableFuture<Integer>, Void> behaviour) {
      this.behaviour = behaviour;
    }

    @Override
    public Child launch(Path jar, String version) {
      launched.add(version + "@" + jar.getFileName());
      CompletableFuture<Integer> exit = new CompletableFuture<>();
      behaviour.apply(version, exit);
      return new Child() {
        public CompletableFuture<Integer> exit() {
          return exit;
        }

        public void kill() {
          exit.complete(137);
        }
      };
    }
  }

  static void stage(Path dir, String to, long timeout) throws Exception {
    stage(dir, "task", UpdateSlots.INITIAL, to, timeout);
  }

  /** As an agent does on an update task: the jar in its slot, the pending update STAGED. */
  static void stage(Path dir, String taskId, String from, String to, long timeout) throws Exception {
    Path download = Files.writeString(dir.resolve("dl-" + to), "jar " + to);
    new UpdateSlots(dir).stage(to, download);
    new PendingUpdate(taskId, from, to, PendingUpdate.Stage.STAGED, timeout, 0, null).write(dir);
  }

  /** Exit 75 with a staged update starts the new jar; it confirms; current=new, previous=old. */
  @Test
  void swapsOnRestartAndKeepsThePrevious(@TempDir Path dir) throws Exception {
    Script s = new Script((version, exit) -> {
      try {
        if (version.equals(UpdateSlots.INITIAL)) {
          stage(dir, "2.0", 30);
          exit.complete(SelfRestart.EXIT_CODE);
        } else {
          PendingUpdate p = PendingUpdate.read(dir).orElseThrow();
          assertThat(p.stage()).isEqualTo(PendingUpdate.Stage.STARTED);
          p.with(PendingUpdate.Stage.CONFIRMED, null).write(dir);
          exit.complete(0);
        }
      } catch (Exception e) {
        exit.completeExceptionally(e);
      }
      return null;
    });
    int code = new Supervisor(new UpdateSlots(dir), s, 10, Duration.ofSeconds(1)).run();
    assertThat(code).isZero();
    assertThat(s.launched).containsExactly("initial@fleetcast-agent-lite.jar", "2.0@2.0.jar");
    assertThat(new UpdateSlots(dir).current()).isEqualTo("2.0");
    assertThat(new UpdateSlots(dir).previous()).isEqualTo("initial");
  }

  /**
   * A new version that confirms, finishes, stages the next update and restarts for it, all
   * between two polls of the launcher, is not rolled back: the next update is started.
   */
  @Test
  void aNextUpdateStagedBeforeTheLauncherPolledIsNoRollback(@TempDir Path dir) throws Exception {
    Script s = new Script((version, exit) -> {
      try {
        if (version.equals(UpdateSlots.INITIAL)) {
          stage(dir, "2.0", 30);
          exit.complete(SelfRestart.EXIT_CODE);
        } else if (version.equals("2.0")) {
          PendingUpdate.clear(dir); // confirmed and reported
          stage(dir, "task-2", "2.0", "3.0", 30);
          exit.complete(SelfRestart.EXIT_CODE);
        } else {
          PendingUpdate p = PendingUpdate.read(dir).orElseThrow();
          assertThat(p.taskId()).isEqualTo("task-2");
          p.with(PendingUpdate.Stage.CONFIRMED, null).write(dir);
          exit.complete(0);
        }
      } catch (Exception e) {
        exit.completeExceptionally(e);
      }
      return null;
    });
    assertThat(new Supervisor(new UpdateSlots(dir), s, 10, Duration.ofSeconds(1)).run()).isZero();
    assertThat(s.launched).containsExactly("initial@fleetcast-agent-lite.jar", "2.0@2.0.jar", "3.0@3.0.jar");
    assertThat(new UpdateSlots(dir).current()).isEqualTo("3.0");
    assertThat(new UpdateSlots(dir).previous()).isEqualTo("2.0");
  }

  /** A new version that exits at once is rolled back: the previous jar runs again and the reason is recorded. */
  @Test
  void rollsBackAVersionThatDoesNotStart(@TempDir Path dir) throws Exception {
    List<String> reasons = new CopyOnWriteArrayList<>();
    Script s = new Script((version, exit) -> {
      try {
        if (version.equals("2.0")) {
          exit.complete(1);
        } else if (PendingUpdate.read(dir).isEmpty()) {
          stage(dir, "2.0", 30);
          exit.complete(SelfRestart.EXIT_CODE);
        } else {
          reasons.add(PendingUpdate.read(dir).orElseThrow().reason());
          exit.complete(0);
        }
      } catch (Exception e) {
        exit.completeExceptionally(e);
      }
      return null;
    });
    assertThat(new Supervisor(new UpdateSlots(dir), s, 10, Duration.ofSeconds(1)).run()).isZero();
    assertThat(s.launched).containsExactly("initial@fleetcast-agent-lite.jar", "2.0@2.0.jar",
        "initial@fleetcast-agent-lite.jar");
    assertThat(reasons).singleElement().asString().contains("exited with code 1 before it connected");
    assertThat(new UpdateSlots(dir).current()).isEqualTo("initial");
  }

  /** A new version that runs but never confirms is killed at the deadline and rolled back. */
  @Test
  void rollsBackAVersionThatDoesNotConfirm(@TempDir Path dir) throws Exception {
    List<String> reasons = new CopyOnWriteArrayList<>();
    Script s = new Script((version, exit) -> {
      try {
        if (version.equals("2.0")) {
          return null; // runs until killed
        }
        if (PendingUpdate.read(dir).isEmpty()) {
          stage(dir, "2.0", 1);
          exit.complete(SelfRestart.EXIT_CODE);
        } else {
          reasons.add(PendingUpdate.read(dir).orElseThrow().reason());
          exit.complete(0);
        }
      } catch (Exception e) {
        exit.completeExceptionally(e);
      }
      return null;
    });
    assertThat(new Supervisor(new UpdateSlots(dir), s, 10, Duration.ofSeconds(1)).run()).isZero();
    assertThat(reasons).singleElement().asString().contains("did not connect and report its version within 1 s");
    assertThat(new UpdateSlots(dir).current()).isEqualTo("initial");
  }

  /** A crash (exit 1, no update) restarts the same version; the loop is bounded by maxStarts. */
  @Test
  void crashesRestartBounded(@TempDir Path dir) throws Exception {
    Script s = new Script((version, exit) -> {
      exit.complete(1);
      return null;
    });
    assertThat(new Supervisor(new UpdateSlots(dir), s, 3, Duration.ofMillis(10)).run()).isEqualTo(1);
    assertThat(s.launched).hasSize(3);
  }
}
