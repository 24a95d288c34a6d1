package io.fleetcast.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.rollout.RolloutStore.TaskRecord;
import io.fleetcast.protocol.TaskRelease;
import io.fleetcast.protocol.TaskSignature;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Signed releases are shared for a second per task, then signed afresh, and the cache stays bounded. */
class ReleasedFramesTest {
  private final TaskSigner signer = TaskSigner.ephemeral();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final ReleasedFrames frames = new ReleasedFrames(signer, Duration.ofSeconds(120), clock::get);

  private static TaskRecord task() {
    UUID id = UUID.randomUUID();
    JsonObject frame = new JsonObject().put("type", "task").put("taskId", id.toString()).put("kind", "exec");
    return new TaskRecord(id, 0, "exec", new JsonObject(), null, Instant.now().plusSeconds(600), frame.encode());
  }

  private TaskRelease release(String frame) {
    return TaskRelease.fromJson(new JsonObject(frame).getJsonObject("release"));
  }

  /** Within the second the same frame (same nonce) comes back; it carries the stored fields and a release that verifies. */
  @Test
  void reusesTheReleaseWithinTheSecond() {
    // GIVEN a task released once
    TaskRecord task = task();
    String first = frames.frame(task);
    // WHEN it is released again 999 ms later
    clock.addAndGet(Duration.ofMillis(999).toNanos());
    String again = frames.frame(task);
    // THEN the frame is the same, it keeps the stored fields, and the release verifies for that task
    assertThat(again).isSameAs(first);
    assertThat(new JsonObject(first).getString("kind")).isEqualTo("exec");
    assertThat(release(first).verify(task.taskId().toString(),
        TaskSignature.publicKey(signer.publicKeys().get(0).publicKey()))).isTrue();
    assertThat(release(first).notAfter()).isAfter(Instant.now().plusSeconds(110));
  }

  /** After the second a new release (new nonce) is signed, and two tasks never share one. */
  @Test
  void signsAfreshAfterTheSecondAndPerTask() {
    // GIVEN two tasks released at the same moment
    TaskRecord a = task();
    TaskRecord b = task();
    String fa = frames.frame(a);
    String fb = frames.frame(b);
    // WHEN a is released again once the second has passed
    clock.addAndGet(ReleasedFrames.REUSE.toNanos());
    String later = frames.frame(a);
    // THEN each task had its own release and the later one is new
    assertThat(release(fa).nonce()).isNotEqualTo(release(fb).nonce());
    assertThat(release(later).nonce()).isNotEqualTo(release(fa).nonce());
    assertThat(release(fb).verify(a.taskId().toString(),
        TaskSignature.publicKey(signer.publicKeys().get(0).publicKey()))).as("b's release is not a's").isFalse();
  }

  /** Many tasks over time do not pile up: stale entries are dropped once the cache is past its sweep size. */
  @Test
  void staysBounded() {
    // GIVEN 2,000 tasks released over 20 s, 100 per second
    for (int i = 0; i < 2_000; i++) {
      frames.frame(task());
      if (i % 100 == 99) {
        clock.addAndGet(ReleasedFrames.REUSE.toNanos());
      }
    }
    // THEN only about the last seconds' tasks are held, far fewer than were released
    assertThat(frames.cached()).isLessThanOrEqualTo(356);
  }
}
