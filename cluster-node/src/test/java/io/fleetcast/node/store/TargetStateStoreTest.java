package io.fleetcast.node.store;

import static io.fleetcast.node.store.StoreDb.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.node.store.TargetStateStore.StateChange;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** ack and progress move targets to acked and running, never backwards, against a real database. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class TargetStateStoreTest {
  private static StoreDb db;
  private static TargetStateStore store;
  private static final List<Set<UUID>> changed = new CopyOnWriteArrayList<>();
  private static final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

  @BeforeAll
  static void start(Vertx vertx) {
    db = new StoreDb(vertx);
    store = new TargetStateStore(db.pool, changed::add, refused::addAndGet);
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
  }

  /** An ack makes a dispatched target acked with its time, and progress makes it running. */
  @Test
  void ackThenProgress() {
    // GIVEN a dispatched target
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, agent, "dispatched", 0);

    // WHEN the agent acks, then reports progress
    List<Void> out = await(store.write(List.of(new StateChange(task, agent, false))));
    Row acked = db.target(rollout, agent);
    await(store.write(List.of(new StateChange(task, agent, true))));
    Row running = db.target(rollout, agent);

    // THEN the target was acked (with a time), then running, and the rollout was reported changed
    assertThat(out).hasSize(1);
    assertThat(acked.getString("state")).isEqualTo("acked");
    assertThat(acked.getOffsetDateTime("acked_at")).isNotNull();
    assertThat(running.getString("state")).isEqualTo("running");
    assertThat(running.getOffsetDateTime("acked_at")).isEqualTo(acked.getOffsetDateTime("acked_at"));
    assertThat(changed).anySatisfy(s -> assertThat(s).contains(rollout));
  }

  /**
   * Progress percent is kept on the target (the highest of a batch); a percent-only update of a
   * running target is stored but reports no change (no progress event per download step).
   */
  @Test
  void progressPercentIsStoredWithoutAChangeEvent() {
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, agent, "dispatched", 0);
    await(store.write(List.of(new StateChange(task, agent, true, 25))));
    assertThat(db.target(rollout, agent).getShort("progress")).isEqualTo((short) 25);
    changed.clear();
    await(store.write(List.of(new StateChange(task, agent, true, 50), new StateChange(task, agent, true, 75),
        new StateChange(task, agent, true))));
    Row r = db.target(rollout, agent);
    assertThat(r.getString("state")).isEqualTo("running");
    assertThat(r.getShort("progress")).isEqualTo((short) 75);
    assertThat(changed).noneSatisfy(s -> assertThat(s).contains(rollout));
    await(store.write(List.of(new StateChange(task, agent, false))));
    assertThat(db.target(rollout, agent).getString("state")).as("a late ack does not go back").isEqualTo("running");
  }

  /** A late ack never moves a running or finished target backwards. */
  @Test
  void neverBackwards() {
    // GIVEN a running target and a finished one
    UUID rollout = UUID.randomUUID();
    UUID running = UUID.randomUUID();
    UUID done = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, running, "running", 0);
    db.target(rollout, done, "succeeded", 0);

    // WHEN acks and progress arrive late for both
    await(store.write(List.of(new StateChange(task, running, false), new StateChange(task, done, false),
        new StateChange(task, done, true))));

    // THEN neither changed
    assertThat(db.target(rollout, running).getString("state")).isEqualTo("running");
    assertThat(db.target(rollout, done).getString("state")).isEqualTo("succeeded");
  }

  /** An ack and a progress of the same task in one batch leave the target running, in either order. */
  @Test
  void strongestChangeInOneBatchWins() {
    // GIVEN two dispatched targets
    UUID rollout = UUID.randomUUID();
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, a, "dispatched", 0);
    db.target(rollout, b, "dispatched", 0);

    // WHEN ack and progress come in one batch, in both orders
    List<Void> out = await(store.write(List.of(new StateChange(task, a, false), new StateChange(task, a, true),
        new StateChange(task, b, true), new StateChange(task, b, false))));

    // THEN both are running and every submitted change got an answer
    assertThat(out).hasSize(4);
    assertThat(db.target(rollout, a).getString("state")).isEqualTo("running");
    assertThat(db.target(rollout, b).getString("state")).isEqualTo("running");
  }

  /** An ack of a task of an earlier step, or from an agent that is not a target, changes nothing and fails nothing. */
  @Test
  void staleOrForeignAcksAreIgnored() {
    // GIVEN a target already at step 1 of a two-step job
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    List<UUID> tasks = db.rollout(rollout, "success", "success");
    db.target(rollout, agent, "dispatched", 1);

    // WHEN an ack of the step-0 task and an ack from a stranger arrive
    List<Void> out = await(store.write(List.of(new StateChange(tasks.get(0), agent, false),
        new StateChange(tasks.get(1), UUID.randomUUID(), false), new StateChange(UUID.randomUUID(), agent, true))));

    // THEN the target is unchanged
    assertThat(out).hasSize(3);
    assertThat(db.target(rollout, agent).getString("state")).isEqualTo("dispatched");
  }

  /**
   * Issue 11 #8: an ack or progress for a task that was never dispatched to the target (its wave is
   * waiting) is refused and counted; the target stays pending.
   */
  @Test
  void acksOfTargetsNeverDispatchedAreRefused() {
    // GIVEN a pending target (not yet dispatched) next to a dispatched one
    UUID rollout = UUID.randomUUID();
    UUID waiting = UUID.randomUUID();
    UUID sent = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, waiting, "pending", 0);
    db.target(rollout, sent, "dispatched", 0);
    int before = refused.get();

    // WHEN both ack and report progress
    await(store.write(List.of(new StateChange(task, waiting, false), new StateChange(task, waiting, true),
        new StateChange(task, sent, false))));

    // THEN only the dispatched one moved, and the other's report is counted as refused
    assertThat(db.target(rollout, waiting).getString("state")).isEqualTo("pending");
    assertThat(db.target(rollout, waiting).getOffsetDateTime("acked_at")).isNull();
    assertThat(db.target(rollout, sent).getString("state")).isEqualTo("acked");
    assertThat(refused.get() - before).isEqualTo(1);
  }

  /** An ack does not wait for a row another transaction holds (a result batch): it skips it, so the two cannot deadlock. */
  @Test
  void ackSkipsARowLockedByAResultWrite() {
    // GIVEN a dispatched target whose row another transaction has locked
    UUID rollout = UUID.randomUUID();
    UUID agent = UUID.randomUUID();
    UUID task = db.rollout(rollout, "success").get(0);
    db.target(rollout, agent, "dispatched", 0);
    io.vertx.sqlclient.SqlConnection other = await(db.pool.getConnection());
    io.vertx.sqlclient.Transaction tx = await(other.begin());
    await(other.preparedQuery("SELECT 1 FROM rollout_targets WHERE rollout_id = $1 AND agent_id = $2 FOR UPDATE")
        .execute(io.vertx.sqlclient.Tuple.of(rollout, agent)));
    try {
      // WHEN the agent's ack is written meanwhile
      List<Void> out = await(store.write(List.of(new StateChange(task, agent, false))));

      // THEN the write returned at once, leaving the row to the holder
      assertThat(out).hasSize(1);
      assertThat(db.target(rollout, agent).getString("state")).isEqualTo("dispatched");
    } finally {
      await(tx.rollback());
      await(other.close());
    }
    // AND once the row is free, an ack applies again
    await(store.write(List.of(new StateChange(task, agent, false))));
    assertThat(db.target(rollout, agent).getString("state")).isEqualTo("acked");
  }
}
