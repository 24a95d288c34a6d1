package io.fleetcast.node.store;

import static io.fleetcast.node.store.StoreDb.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Result batches against a real database: stored once per (task, agent), and each target moved along its job. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ResultStoreTest {
  private static StoreDb db;
  private static ResultStore store;
  private static final List<Set<UUID>> changed = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start(Vertx vertx) {
    db = new StoreDb(vertx);
    store = new ResultStore(db.pool, "node-a", changed::add);
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
  }

  private static ResultRow row(UUID task, UUID agent, TaskStatus status, Integer exitCode, String output) {
    return new ResultRow(task, agent, status, exitCode, output, Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:00:05Z"), System.nanoTime());
  }

  private static List<StoreOutcome> write(ResultRow... rows) {
    return await(store.write(List.of(rows)));
  }

  /** A result is stored once, with what the agent sent, and finishes a one-step target with a reason. */
  @Test
  void storesOnceAndFinishesTarget() {
    // GIVEN a one-step rollout with a dispatched target
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, agent, "dispatched", 0);

    // WHEN its result is written
    List<StoreOutcome> out = write(row(task, agent, TaskStatus.SUCCEEDED, 0, "all good"));

    // THEN it is stored with its fields and this node, the target succeeded, and the rollout is reported changed
    assertThat(out).containsExactly(StoreOutcome.STORED);
    Row r = db.one("SELECT status, exit_code, output, step, rollout_id, node_id, started_at, finished_at FROM results "
        + "WHERE task_id = $1 AND agent_id = $2", task, agent);
    assertThat(r.getString("status")).isEqualTo("succeeded");
    assertThat(r.getInteger("exit_code")).isZero();
    assertThat(r.getString("output")).isEqualTo("all good");
    assertThat(r.getInteger("step")).isZero();
    assertThat(r.getUUID("rollout_id")).isEqualTo(rollout);
    assertThat(r.getString("node_id")).isEqualTo("node-a");
    assertThat(r.getOffsetDateTime("finished_at").toInstant()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
    Row t = db.target(rollout, agent);
    assertThat(t.getString("state")).isEqualTo("succeeded");
    assertThat(t.getBoolean("next_step_ready")).isFalse();
    assertThat(t.getString("first_failure")).isNull();
    assertThat(t.getString("reason")).isEqualTo("step 1/1 succeeded (exit code 0)");
    assertThat(t.getOffsetDateTime("finished_at")).isNotNull();
    assertThat(changed).anySatisfy(s -> assertThat(s).contains(rollout));
  }

  /** The same result in a later batch is a DUPLICATE and changes neither the stored row nor the target. */
  @Test
  void duplicateInLaterBatchChangesNothing() {
    // GIVEN a stored failed result
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, agent, "dispatched", 0);
    write(row(task, agent, TaskStatus.FAILED, 2, "first"));
    Row before = db.target(rollout, agent);

    // WHEN it arrives again, even with other content
    List<StoreOutcome> out = write(row(task, agent, TaskStatus.SUCCEEDED, 0, "second"));

    // THEN it is a duplicate, the first row stands and the target is untouched
    assertThat(out).containsExactly(StoreOutcome.DUPLICATE);
    Row r = db.one("SELECT status, output, count(*) OVER () AS n FROM results WHERE task_id = $1", task);
    assertThat(r.getString("status")).isEqualTo("failed");
    assertThat(r.getString("output")).isEqualTo("first");
    assertThat(r.getLong("n")).isEqualTo(1);
    Row after = db.target(rollout, agent);
    assertThat(after.getString("state")).isEqualTo("failed");
    assertThat(after.getString("reason")).isEqualTo(before.getString("reason"));
    assertThat(after.getOffsetDateTime("finished_at")).isEqualTo(before.getOffsetDateTime("finished_at"));
  }

  /** A result from an agent that is not a target of the task's rollout is REJECTED and not stored. */
  @Test
  void resultOfNonTargetIsRejected() {
    // GIVEN a rollout with one target
    UUID rollout = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, UUID.randomUUID(), "dispatched", 0);
    UUID stranger = UUID.randomUUID();

    // WHEN another agent sends a result for the task, and someone sends one for a task that does not exist
    List<StoreOutcome> out = write(row(task, stranger, TaskStatus.SUCCEEDED, 0, ""),
        row(UUID.randomUUID(), stranger, TaskStatus.SUCCEEDED, 0, ""));

    // THEN both are rejected and nothing is stored
    assertThat(out).containsExactly(StoreOutcome.REJECTED, StoreOutcome.REJECTED);
    assertThat(db.query("SELECT 1 FROM results WHERE agent_id = $1", stranger)).isEmpty();
  }

  /** A result for step 1 while the target is still at step 0 is REFUSED: that task was never sent. */
  @Test
  void resultForLaterStepIsRejected() {
    // GIVEN a two-step rollout whose target is at step 0
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    List<UUID> tasks = db.rollout(rollout, "success", "success");
    db.target(rollout, agent, "dispatched", 0);

    // WHEN a result for step 1 arrives
    List<StoreOutcome> out = write(row(tasks.get(1), agent, TaskStatus.SUCCEEDED, 0, ""));

    // THEN it is refused, nothing is stored and the target did not move
    assertThat(out).containsExactly(StoreOutcome.REFUSED);
    assertThat(db.query("SELECT 1 FROM results WHERE task_id = $1", tasks.get(1))).isEmpty();
    assertThat(db.target(rollout, agent).getInteger("step")).isZero();
    assertThat(db.target(rollout, agent).getString("state")).isEqualTo("dispatched");
  }

  /** continueOn=success: a success moves to the next step; a later failure ends the job as failed with its reason. */
  @Test
  void continueOnSuccessAdvancesThenFails() {
    // GIVEN a two-step job whose first step continues on success
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    List<UUID> tasks = db.rollout(rollout, "success", "success");
    db.target(rollout, agent, "acked", 0);

    // WHEN step 1 succeeds
    write(row(tasks.get(0), agent, TaskStatus.SUCCEEDED, 0, ""));
    Row mid = db.target(rollout, agent);
    // AND step 2 fails
    db.nextStepSent(rollout, agent);
    write(row(tasks.get(1), agent, TaskStatus.FAILED, 3, ""));
    Row end = db.target(rollout, agent);

    // THEN the target went to step 1 ready to dispatch, then ended failed with step 2's reason
    assertThat(mid.getString("state")).isEqualTo("running");
    assertThat(mid.getInteger("step")).isEqualTo(1);
    assertThat(mid.getBoolean("next_step_ready")).isTrue();
    assertThat(mid.getString("first_failure")).isNull();
    assertThat(mid.getOffsetDateTime("finished_at")).isNull();
    assertThat(end.getString("state")).isEqualTo("failed");
    assertThat(end.getInteger("step")).isEqualTo(1);
    assertThat(end.getBoolean("next_step_ready")).isFalse();
    assertThat(end.getString("first_failure")).isEqualTo("failed");
    assertThat(end.getString("reason")).isEqualTo("step 2/2 failed (exit code 3)");
    assertThat(end.getOffsetDateTime("finished_at")).isNotNull();
  }

  /** continueOn=success: a failing first step ends the job at once, the next step never becomes ready. */
  @Test
  void continueOnSuccessStopsAtFailure() {
    // GIVEN a two-step job whose first step continues on success only
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    List<UUID> tasks = db.rollout(rollout, "success", "success");
    db.target(rollout, agent, "running", 0);

    // WHEN step 1 times out without an exit code
    write(row(tasks.get(0), agent, TaskStatus.TIMED_OUT, null, ""));

    // THEN the job ends timedOut at step 1, with a reason saying so
    Row t = db.target(rollout, agent);
    assertThat(t.getString("state")).isEqualTo("timedOut");
    assertThat(t.getInteger("step")).isZero();
    assertThat(t.getBoolean("next_step_ready")).isFalse();
    assertThat(t.getString("first_failure")).isEqualTo("timedOut");
    assertThat(t.getString("reason")).isEqualTo("step 1/2 timedOut (exit code none)");
    assertThat(t.getOffsetDateTime("finished_at")).isNotNull();
  }

  /** continueOn=failure: a failure runs the next step, and the job's final state is still that first failure. */
  @Test
  void continueOnFailureRunsCleanupAndKeepsFirstFailure() {
    // GIVEN a job whose first step continues on failure (e.g. a clean-up step)
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    List<UUID> tasks = db.rollout(rollout, "failure", "success");
    db.target(rollout, agent, "dispatched", 0);

    // WHEN step 1 fails and the clean-up step succeeds
    write(row(tasks.get(0), agent, TaskStatus.FAILED, 1, ""));
    Row mid = db.target(rollout, agent);
    db.nextStepSent(rollout, agent);
    write(row(tasks.get(1), agent, TaskStatus.SUCCEEDED, 0, ""));
    Row end = db.target(rollout, agent);

    // THEN the clean-up was made ready, and the job ends failed with the first failure's reason
    assertThat(mid.getString("state")).isEqualTo("running");
    assertThat(mid.getInteger("step")).isEqualTo(1);
    assertThat(mid.getBoolean("next_step_ready")).isTrue();
    assertThat(mid.getString("first_failure")).isEqualTo("failed");
    assertThat(end.getString("state")).isEqualTo("failed");
    assertThat(end.getString("reason")).isEqualTo("step 1/2 failed (exit code 1)");
    assertThat(end.getOffsetDateTime("finished_at")).isNotNull();
  }

  /** continueOn=failure: a success ends the job there, succeeded. */
  @Test
  void continueOnFailureStopsAtSuccess() {
    // GIVEN a job whose first step continues on failure only
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    List<UUID> tasks = db.rollout(rollout, "failure", "success");
    db.target(rollout, agent, "dispatched", 0);

    // WHEN step 1 succeeds
    write(row(tasks.get(0), agent, TaskStatus.SUCCEEDED, 0, ""));

    // THEN the job is over and succeeded
    Row t = db.target(rollout, agent);
    assertThat(t.getString("state")).isEqualTo("succeeded");
    assertThat(t.getInteger("step")).isZero();
    assertThat(t.getBoolean("next_step_ready")).isFalse();
  }

  /** continueOn=always: every outcome runs the next step; the final state is the first non-success. */
  @Test
  void continueOnAlways() {
    // GIVEN a three-step job that always continues
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    List<UUID> tasks = db.rollout(rollout, "always", "always", "always");
    db.target(rollout, agent, "dispatched", 0);

    // WHEN step 1 is declined, step 2 fails and step 3 succeeds
    write(row(tasks.get(0), agent, TaskStatus.DECLINED, null, ""));
    Row afterFirst = db.target(rollout, agent);
    db.nextStepSent(rollout, agent);
    write(row(tasks.get(1), agent, TaskStatus.FAILED, 1, ""));
    db.nextStepSent(rollout, agent);
    write(row(tasks.get(2), agent, TaskStatus.SUCCEEDED, 0, ""));
    Row end = db.target(rollout, agent);

    // THEN all three ran and the job ends with the first non-success
    assertThat(afterFirst.getInteger("step")).isEqualTo(1);
    assertThat(afterFirst.getBoolean("next_step_ready")).isTrue();
    assertThat(end.getString("state")).isEqualTo("declined");
    assertThat(end.getInteger("step")).isEqualTo(2);
    assertThat(end.getString("reason")).isEqualTo("step 1/3 declined (exit code none)");
    assertThat(db.query("SELECT 1 FROM results WHERE rollout_id = $1", rollout)).hasSize(3);
  }

  /** A result for a target that already ended (cancelled) is kept, but does not revive the target. */
  @Test
  void resultForEndedTargetDoesNotReviveIt() {
    // GIVEN a cancelled target
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, agent, "cancelled", 0);

    // WHEN its late result arrives
    List<StoreOutcome> out = write(row(task, agent, TaskStatus.SUCCEEDED, 0, ""));

    // THEN it is stored (the agent may forget it) and the target stays cancelled
    assertThat(out).containsExactly(StoreOutcome.STORED);
    assertThat(db.target(rollout, agent).getString("state")).isEqualTo("cancelled");
  }

  /**
   * Issue 11 #8: a target whose wave is not released, or is released but not yet dispatched, or was
   * skipped, knows the step's task id (all targets share it) but was never sent it: its result is
   * REFUSED, nothing is stored, and the target does not jump to succeeded.
   */
  @Test
  void resultOfTargetNeverDispatchedIsRefused() {
    // GIVEN a rollout with a pending target, a waking one and one skipped by a halt
    UUID rollout = UUID.randomUUID();
    UUID pending = UUID.randomUUID();
    UUID waking = UUID.randomUUID();
    UUID skipped = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, pending, "pending", 0);
    db.target(rollout, waking, "waking", 0);
    db.query("INSERT INTO rollout_targets (rollout_id, agent_id, ordinal, state) VALUES ($1, $2, 1, 'skipped')",
        rollout, skipped);

    // WHEN each sends a result for the task
    List<StoreOutcome> out = write(row(task, pending, TaskStatus.SUCCEEDED, 0, "forged"),
        row(task, waking, TaskStatus.SUCCEEDED, 0, "forged"), row(task, skipped, TaskStatus.SUCCEEDED, 0, "forged"));

    // THEN all are refused, nothing is stored and no target moved
    assertThat(out).containsExactly(StoreOutcome.REFUSED, StoreOutcome.REFUSED, StoreOutcome.REFUSED);
    assertThat(db.query("SELECT 1 FROM results WHERE task_id = $1", task)).isEmpty();
    assertThat(db.target(rollout, pending).getString("state")).isEqualTo("pending");
    assertThat(db.target(rollout, waking).getString("state")).isEqualTo("waking");
    assertThat(db.target(rollout, skipped).getString("state")).isEqualTo("skipped");
  }

  /** A result for a job's next step that is due but not yet dispatched is refused; once it is dispatched it is stored. */
  @Test
  void resultOfNextStepNotYetDispatchedIsRefused() {
    // GIVEN a two-step job whose first step succeeded (step 2 due, not yet sent)
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    List<UUID> tasks = db.rollout(rollout, "success", "success");
    db.target(rollout, agent, "dispatched", 0);
    write(row(tasks.get(0), agent, TaskStatus.SUCCEEDED, 0, ""));

    // WHEN a result for step 2 arrives before it was dispatched, and again after
    List<StoreOutcome> early = write(row(tasks.get(1), agent, TaskStatus.SUCCEEDED, 0, ""));
    db.nextStepSent(rollout, agent);
    List<StoreOutcome> late = write(row(tasks.get(1), agent, TaskStatus.SUCCEEDED, 0, ""));

    // THEN the early one is refused and the one after dispatch finishes the job
    assertThat(early).containsExactly(StoreOutcome.REFUSED);
    assertThat(late).containsExactly(StoreOutcome.STORED);
    assertThat(db.target(rollout, agent).getString("state")).isEqualTo("succeeded");
  }

  /** Issue 11 #16: the agent's error (no exit code) is stored and becomes the target's reason. */
  @Test
  void agentErrorBecomesTheReason() {
    // GIVEN a dispatched target
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, agent, "dispatched", 0);
    db.target(rollout, other, "dispatched", 0);

    // WHEN its install fails on a hash mismatch (no exit code), and another's command fails with one
    write(new ResultRow(task, agent, TaskStatus.FAILED, null, "", null, null, System.nanoTime(),
        "sha256 mismatch: expected aa..., got bb..."),
        new ResultRow(task, other, TaskStatus.FAILED, 127, "", null, null, System.nanoTime(), "command not found: nope"));

    // THEN the reasons say why, and the error is kept with the result
    assertThat(db.target(rollout, agent).getString("reason"))
        .isEqualTo("step 1/1 failed: sha256 mismatch: expected aa..., got bb...");
    assertThat(db.target(rollout, other).getString("reason"))
        .isEqualTo("step 1/1 failed: command not found: nope (exit code 127)");
    assertThat(db.one("SELECT error FROM results WHERE task_id = $1 AND agent_id = $2", task, agent).getString("error"))
        .startsWith("sha256 mismatch");
  }

  /** NUL characters, which Postgres text cannot hold, are stored replaced instead of failing the batch. */
  @Test
  void nulCharactersAreReplaced() {
    // GIVEN a result whose output holds NUL characters next to another result
    UUID rollout = UUID.randomUUID();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, a, "dispatched", 0);
    db.target(rollout, b, "dispatched", 0);

    // WHEN both are written in one batch
    List<StoreOutcome> out = write(row(task, a, TaskStatus.FAILED, 1, "bin\u0000ary\u0000"),
        row(task, b, TaskStatus.SUCCEEDED, 0, "plain"));

    // THEN both are stored, the NULs as U+FFFD
    assertThat(out).containsExactly(StoreOutcome.STORED, StoreOutcome.STORED);
    assertThat(db.one("SELECT output FROM results WHERE task_id = $1 AND agent_id = $2", task, a).getString(0))
        .isEqualTo("bin\uFFFDary\uFFFD");
  }

  /** One mixed batch yields each row's own outcome, in input order. */
  @Test
  void mixedBatchOutcomesInOrder() {
    // GIVEN one stored result, one new and one from a stranger
    UUID rollout = UUID.randomUUID();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, a, "dispatched", 0);
    db.target(rollout, b, "dispatched", 0);
    write(row(task, a, TaskStatus.SUCCEEDED, 0, ""));

    // WHEN they come in one batch
    List<StoreOutcome> out = write(row(task, UUID.randomUUID(), TaskStatus.SUCCEEDED, 0, ""),
        row(task, a, TaskStatus.SUCCEEDED, 0, ""), row(task, b, TaskStatus.FAILED, 1, ""));

    // THEN each gets its own outcome at its own position
    assertThat(out).containsExactly(StoreOutcome.REJECTED, StoreOutcome.DUPLICATE, StoreOutcome.STORED);
  }

  /** A start time beyond what Postgres can hold does not fail the batch: it is stored as infinity. */
  @Test
  void extremeTimeDoesNotFailTheBatch() {
    // GIVEN a good result and one whose start time lies beyond Postgres' range
    UUID rollout = UUID.randomUUID();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, a, "dispatched", 0);
    db.target(rollout, b, "dispatched", 0);
    ResultRow extreme = new ResultRow(task, b, TaskStatus.SUCCEEDED, 0, "", Instant.parse("+300000-01-01T00:00:00Z"),
        null, System.nanoTime());

    // WHEN both are written in one batch
    List<StoreOutcome> out = write(row(task, a, TaskStatus.SUCCEEDED, 0, ""), extreme);

    // THEN both are stored, the extreme time as infinity
    assertThat(out).containsExactly(StoreOutcome.STORED, StoreOutcome.STORED);
    assertThat(db.one("SELECT started_at::text FROM results WHERE agent_id = $1", b).getString(0)).isEqualTo("infinity");
    assertThat(db.target(rollout, b).getString("state")).isEqualTo("succeeded");
  }
}
