package io.fleetcast.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tables whose statistics fell behind (rows added or removed, or changed long ago) are analyzed; others are left alone. */
@Timeout(60)
class PlannerStatisticsTest {
  static TestDatabase db;
  static Vertx vertx;
  static Pool pool;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    vertx = Vertx.vertx();
    pool = Pools.create(vertx, db.url(), 2, 100);
  }

  @AfterAll
  static void stop() {
    pool.close().await();
    vertx.close().await();
    db.close();
  }

  /**
   * The rule: a minimum of changed rows; then a tenth of the table for one never analyzed, a
   * tenth of movement in its row count, or a tenth changed in place only after the churn interval.
   */
  @Test
  void staleNeedsEnoughChangesForTheTablesSize() {
    Duration recent = Duration.ofSeconds(30);
    Duration old = PlannerStatistics.CHURN_INTERVAL;
    // never analyzed
    assertThat(stale(999, 0, -1, null)).isFalse();
    assertThat(stale(1000, 0, -1, null)).isTrue();
    assertThat(stale(1000, 10_000, -1, null)).isTrue();
    assertThat(stale(1000, 10_001, -1, null)).isFalse();
    assertThat(stale(100_000, 1_000_000, -1, null)).isTrue();
    // analyzed recently: the row count has to move (inserts, deletes)
    assertThat(stale(100_000, 100_000, 100_000, recent)).as("every row updated in place").isFalse();
    assertThat(stale(10_000, 110_000, 100_000, recent)).as("a tenth more rows").isTrue();
    assertThat(stale(9_999, 109_999, 100_000, recent)).isFalse();
    assertThat(stale(1_000, 1_000, 0, recent)).as("a table filled after an empty analyze").isTrue();
    assertThat(stale(999, 999, 0, recent)).isFalse();
    // analyzed long ago: changes in place count again
    assertThat(stale(100_000, 100_000, 100_000, old)).isTrue();
    assertThat(stale(9_999, 100_000, 100_000, old)).isFalse();
  }

  private static boolean stale(long changed, long live, double analyzedRows, Duration since) {
    return PlannerStatistics.stale(new PlannerStatistics.TableStats(changed, live, analyzedRows, since));
  }

  /** Updating every row of a table analyzed a moment ago triggers no analyze; adding a tenth more rows does. */
  @Test
  void updatesInPlaceWaitButNewRowsDoNot() throws Exception {
    // GIVEN a table of 3,000 rows just analyzed, that autovacuum leaves alone
    pool.query("CREATE TABLE churn_probe (id int PRIMARY KEY, v int) WITH (autovacuum_enabled = false)").execute()
        .await();
    pool.query("INSERT INTO churn_probe SELECT g, 0 FROM generate_series(1, 3000) g").execute().await();
    awaitCounters("churn_probe", 3000); // counted before the analyze resets the counters, not after
    pool.query("ANALYZE churn_probe").execute().await();
    awaitAnalyzeSeen("churn_probe");
    PlannerStatistics stats = new PlannerStatistics(pool, List.of("churn_probe"));
    // WHEN every row is updated in place (as last_seen or a target's state is)
    pool.query("UPDATE churn_probe SET v = 1").execute().await();
    awaitCounters("churn_probe", 3000);
    // THEN no analyze: the row count did not move
    assertThat(stats.pass().await()).isEmpty();
    // WHEN a third more rows arrive
    pool.query("INSERT INTO churn_probe SELECT g, 0 FROM generate_series(3001, 4000) g").execute().await();
    awaitCounters("churn_probe", 4000);
    // THEN the table is analyzed
    assertThat(stats.pass().await()).containsExactly("churn_probe");
  }

  /** The statistics collector shows an analyze with a delay (up to a second): waits until it does. */
  private static void awaitAnalyzeSeen(String table) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      boolean seen = pool.preparedQuery("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = $1 "
          + "AND schemaname = current_schema()").execute(io.vertx.sqlclient.Tuple.of(table)).await().iterator().next()
          .getBoolean(0);
      if (seen) {
        return;
      }
      Thread.sleep(100);
    }
  }

  /** The statistics collector reports changes with a delay: waits until it counts {@code rows} changes. */
  private static void awaitCounters(String table, long rows) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      long changed = pool.preparedQuery("SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = $1 "
          + "AND schemaname = current_schema()").execute(io.vertx.sqlclient.Tuple.of(table)).await().iterator().next()
          .getLong(0);
      if (changed >= rows) {
        return;
      }
      Thread.sleep(100);
    }
  }

  /** A table never analyzed after a bulk insert gets analyzed once; the next pass finds nothing to do. */
  @Test
  void analyzesAChangedTableOnce() throws Exception {
    // GIVEN agents bulk-inserted into a table autovacuum leaves alone (as on a server with it off)
    pool.query("ALTER TABLE agents SET (autovacuum_enabled = false)").execute().await();
    pool.query("INSERT INTO agents (id, online) SELECT gen_random_uuid(), true FROM generate_series(1, 3000)")
        .execute().await();
    PlannerStatistics stats = new PlannerStatistics(pool, List.of("agents", "rollouts"));
    // WHEN passes run (the change counters reach pg_stat_user_tables within a second or so)
    List<String> analyzed = List.of();
    for (int i = 0; i < 50 && analyzed.isEmpty(); i++) {
      analyzed = stats.pass().await();
      if (analyzed.isEmpty()) {
        Thread.sleep(200);
      }
    }
    // THEN agents was analyzed (and rollouts, barely touched, was not), and Postgres says so
    assertThat(analyzed).containsExactly("agents");
    assertThat(pool.query("SELECT last_analyze IS NOT NULL, n_mod_since_analyze FROM pg_stat_user_tables "
        + "WHERE relname = 'agents' AND schemaname = current_schema()").execute().await().iterator().next().getBoolean(0))
        .isTrue();
    // AND a second pass has nothing to do
    assertThat(stats.pass().await()).isEmpty();
  }
}
