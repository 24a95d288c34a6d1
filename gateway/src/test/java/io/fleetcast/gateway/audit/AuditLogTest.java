package io.fleetcast.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.db.Pools;
import io.fleetcast.common.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hash-chained audit log against a real database: appends chain, and tampering is found. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class AuditLogTest {
  private static TestDatabase db;
  private static Pool pool;
  private static AuditLog audit;

  @BeforeAll
  static void start(Vertx vertx) {
    db = TestDatabase.create();
    pool = Pools.create(vertx, db.url(), 4, 100);
    audit = new AuditLog(pool);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      await(pool.close());
    }
    if (db != null) {
      db.close();
    }
  }

  @BeforeEach
  void emptyLog() {
    await(pool.query("TRUNCATE audit_log RESTART IDENTITY").execute());
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sql(String sql, Object... args) {
    await(pool.preparedQuery(sql).execute(Tuple.from(args)));
  }

  /** Appends five entries, each in its own transaction as the API does; yields their sequence numbers. */
  private static List<Long> appendFive() {
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      seqs.add(await(pool.withTransaction(tx -> audit.append(tx, "alice", n % 2 == 0 ? "admin" : null, "rollout.create",
          "rollout/" + n, "10.0.0." + n, new JsonObject().put("n", n).put("name", "patch \"" + n + "\"")))));
    }
    return seqs;
  }

  private static JsonObject verify() {
    return await(audit.verify());
  }

  /** Appends link each row to the previous row's hash, starting from genesis, and the chain verifies intact. */
  @Test
  void appendsChainAndVerify() {
    // GIVEN an empty log
    // WHEN five entries are appended in separate transactions
    List<Long> seqs = appendFive();

    // THEN each row links to the one before, and verify finds the chain intact
    JsonArray rows = await(audit.list(0, 100));
    assertThat(rows).hasSize(5);
    assertThat(rows.getJsonObject(0).getString("prevHash")).isEqualTo("genesis");
    for (int i = 1; i < 5; i++) {
      assertThat(rows.getJsonObject(i).getString("prevHash")).isEqualTo(rows.getJsonObject(i - 1).getString("hash"));
    }
    assertThat(rows.getJsonObject(2).getString("actor")).isEqualTo("alice");
    assertThat(rows.getJsonObject(2).getJsonObject("detail")).isEqualTo(new JsonObject().put("n", 2).put("name", "patch \"2\""));
    assertThat(seqs).isSorted().doesNotHaveDuplicates();
    assertThat(verify()).isEqualTo(new JsonObject().put("intact", true).put("checked", 5));
  }

  /** An entry appended in a transaction that rolls back leaves no trace and no gap in the chain. */
  @Test
  void rolledBackAppendLeavesNoTrace() {
    // GIVEN a log with entries
    appendFive();

    // WHEN an append's transaction fails after it
    Future<Long> failed = pool.withTransaction(tx -> audit.append(tx, "mallory", "admin", "token.create", "t", "x", null)
        .compose(seq -> Future.<Long>failedFuture("the change itself failed")));
    await(failed.recover(e -> Future.succeededFuture(-1L)));
    appendFive();

    // THEN the rolled-back entry is absent and the chain is intact
    assertThat(await(audit.list(0, 100)).stream().map(o -> ((JsonObject) o).getString("actor"))).doesNotContain("mallory");
    assertThat(verify().getBoolean("intact")).isTrue();
  }

  /** Changing any row's detail is found at that row. */
  @Test
  void updatedDetailIsDetected() {
    // GIVEN an intact chain
    List<Long> seqs = appendFive();

    // WHEN someone with database access changes a middle row's detail
    sql("UPDATE audit_log SET detail = '{\"n\": 2, \"name\": \"harmless\"}'::jsonb WHERE seq = $1", seqs.get(2));

    // THEN verify reports that row
    JsonObject v = verify();
    assertThat(v.getBoolean("intact")).isFalse();
    assertThat(v.getLong("brokenAt")).isEqualTo(seqs.get(2));
    assertThat(v.getString("reason")).contains("hash");
  }

  /** Changing any row's actor is found at that row, the first and the last included. */
  @Test
  void updatedActorIsDetected() {
    for (int which : new int[] {0, 4}) {
      // GIVEN an intact chain
      emptyLog();
      List<Long> seqs = appendFive();

      // WHEN the actor of the first or last row is changed
      sql("UPDATE audit_log SET actor = 'bob' WHERE seq = $1", seqs.get(which));

      // THEN verify reports that row
      JsonObject v = verify();
      assertThat(v.getBoolean("intact")).isFalse();
      assertThat(v.getLong("brokenAt")).isEqualTo(seqs.get(which));
    }
  }

  /** Moving text between neighbouring fields (so that their joined text stays the same) is detected too. */
  @Test
  void shiftingTextBetweenFieldsIsDetected() {
    // GIVEN an intact chain whose row 0 has actor alice and role admin
    List<Long> seqs = appendFive();

    // WHEN the actor is rewritten to carry the role and the role is cleared
    sql("UPDATE audit_log SET actor = actor || '|' || role, role = NULL WHERE seq = $1", seqs.get(0));

    // THEN verify reports that row
    JsonObject v = verify();
    assertThat(v.getBoolean("intact")).isFalse();
    assertThat(v.getLong("brokenAt")).isEqualTo(seqs.get(0));
  }

  /** Deleting a middle row breaks the link of the row after it. */
  @Test
  void deletedMiddleRowIsDetected() {
    // GIVEN an intact chain
    List<Long> seqs = appendFive();

    // WHEN a middle row is deleted
    sql("DELETE FROM audit_log WHERE seq = $1", seqs.get(2));

    // THEN verify reports the next row as not linking
    JsonObject v = verify();
    assertThat(v.getBoolean("intact")).isFalse();
    assertThat(v.getLong("brokenAt")).isEqualTo(seqs.get(3));
    assertThat(v.getString("reason")).contains("link");
  }

  /** Concurrent appends from many transactions still form one unbroken chain. */
  @Test
  void concurrentAppendsStayChained() {
    // GIVEN an empty log
    // WHEN 20 appends run at once
    List<Future<Long>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      all.add(pool.withTransaction(tx -> audit.append(tx, "op-" + n, "operator", "wake", null, null, null)));
    }
    await(Future.all(all));

    // THEN the chain of 20 is intact
    assertThat(verify()).isEqualTo(new JsonObject().put("intact", true).put("checked", 20));
  }
}
