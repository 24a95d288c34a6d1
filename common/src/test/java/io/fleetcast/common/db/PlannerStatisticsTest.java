package io.fleetcast.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tables changed by a tenth of their rows since their last analyze are analyzed; others are left alone. */
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

  /** The rule: a minimum of changed rows, then a share of the table. */
  @Test
  void staleNeedsEnoughChangesForTheTablesSize() {
    assertThat(PlannerStatistics.stale(999, 0)).isFalse();
    assertThat(PlannerStatistics.stale(1000, 0)).isTrue();
    assertThat(PlannerStatistics.stale(1000, 10_000)).isTrue();
    assertThat(PlannerStatistics.stale(1000, 10_001)).isFalse();
    assertThat(PlannerStatistics.stale(100_000, 1_000_000)).isTrue();
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
