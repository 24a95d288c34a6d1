package io.fleetcast.agent.tags;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.config.StateDir;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's lookup policy for server-assigned tags, against a fake gateway source and a real state dir. */
class AssignedTagsTest {
  @TempDir
  Path dir;
  Vertx vertx;
  WorkerExecutor worker;
  FakeSource source;
  MutableClock clock;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    worker = vertx.createSharedWorkerExecutor("assigned-tags-test", 1);
    source = new FakeSource();
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  AssignedTags tags() throws Exception {
    StateDir state = new StateDir(dir);
    Files.createDirectories(dir);
    return new AssignedTags(source, new AssignedTagStore(state), worker, clock, Duration.ofSeconds(10));
  }

  /** Runs on a Vert.x context (the class lives on the agent's) and waits for the future it yields. */
  <T> T onContext(Supplier<Future<T>> call) throws Exception {
    Promise<T> p = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> call.get().onComplete(p));
    return p.future().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Lookups asked for while one is under way join it: the gateway is asked once. */
  @Test
  void concurrentLookupsAreCoalesced() throws Exception {
    AssignedTags t = tags();
    source.hold = true;
    List<Future<Set<String>>> asked = new ArrayList<>();
    onContext(() -> {
      asked.add(t.refresh());
      asked.add(t.refresh());
      asked.add(t.refresh());
      return Future.succeededFuture();
    });
    assertThat(source.calls).isEqualTo(1);
    onContext(() -> {
      source.release(List.of("b", "a"));
      return Future.all(asked);
    });
    for (Future<Set<String>> f : asked) {
      assertThat(f.result()).containsExactlyInAnyOrder("a", "b");
    }
    assertThat(t.current()).containsExactlyInAnyOrder("a", "b");
  }

  /** Within the interval after a lookup the known set answers without asking; after it, the gateway is asked again. */
  @Test
  void lookupsAreBoundedPerInterval() throws Exception {
    AssignedTags t = tags();
    source.answer = List.of("a");
    assertThat(onContext(t::refresh)).containsExactly("a");
    source.answer = List.of("a", "b");
    clock.advance(Duration.ofSeconds(9));
    assertThat(onContext(t::refresh)).as("within the interval").containsExactly("a");
    assertThat(source.calls).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    assertThat(onContext(t::refresh)).containsExactlyInAnyOrder("a", "b");
    assertThat(source.calls).isEqualTo(2);
  }

  /** A failing gateway leaves the known set as it was, and a failed lookup also counts against the bound. */
  @Test
  void aFailedLookupKeepsTheKnownSet() throws Exception {
    AssignedTags t = tags();
    source.answer = List.of("a");
    onContext(t::refresh);
    clock.advance(Duration.ofSeconds(11));
    source.fail = true;
    assertThat(onContext(t::refresh)).containsExactly("a");
    assertThat(onContext(t::refresh)).containsExactly("a");
    assertThat(source.calls).isEqualTo(2);
  }

  /** What was learned is saved in the state dir; a new process loads it without asking; a removed tag is dropped. */
  @Test
  void learnedTagsSurviveARestart() throws Exception {
    AssignedTags first = tags();
    source.answer = List.of("a", "b");
    onContext(first::refresh);
    assertThat(Files.readString(dir.resolve("assigned-tags.json"))).contains("\"b\"");

    AssignedTags second = tags();
    assertThat(second.current()).isEmpty();
    onContext(second::load);
    assertThat(second.current()).containsExactlyInAnyOrder("a", "b");
    assertThat(source.calls).isEqualTo(1);

    source.answer = List.of("a");
    onContext(second::refresh);
    AssignedTags third = tags();
    onContext(third::load);
    assertThat(third.current()).containsExactly("a");
  }

  /** A gateway stand-in that counts calls and can hold its answer until released. */
  static final class FakeSource implements TrustedTagSource {
    int calls;
    boolean hold;
    boolean fail;
    List<String> answer = List.of();
    private Promise<List<String>> held;

    @Override
    public Future<List<String>> fetch() {
      calls++;
      if (fail) {
        return Future.failedFuture("gateway down");
      }
      if (hold) {
        held = Promise.promise();
        return held.future();
      }
      return Future.succeededFuture(answer);
    }

    void release(List<String> tags) {
      held.complete(tags);
    }
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
