package io.fleetcast.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.db.Pools;
import io.fleetcast.common.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The target table is analyzed after a large rollout only while its statistics know of fewer rows than the rollout added. */
@Timeout(60)
class TargetStatisticsTest {
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

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A rollout row with {@code n} targets. */
  static void rolloutWithTargets(int n) throws Exception {
    UUID id = UUID.randomUUID();
    await(pool.preparedQuery("INSERT INTO rollouts (id, name, state, request, step_count, expires_at, current_wave) "
        + "VALUES ($1, 'stats', 'running', '{}'::jsonb, 1, now() + interval '1 hour', 0)").execute(Tuple.of(id)));
    await(pool.preparedQuery("INSERT INTO rollout_targets (rollout_id, agent_id, ordinal) "
        + "SELECT $1, gen_random_uuid(), g FROM generate_series(1, $2) g").execute(Tuple.of(id, n)));
  }

  static double knownRows() throws Exception {
    return await(pool.query("SELECT reltuples::float8 FROM pg_class WHERE oid = 'rollout_targets'::regclass").execute())
        .iterator().next().getDouble(0);
  }

  /** Outdated means: a rollout of at least 1,000 targets, and statistics that know of fewer rows than it added. */
  @Test
  void outdatedIsFewerKnownRowsThanTheRolloutAdded() {
    assertThat(TargetStatistics.outdated(-1, 1000)).isTrue();
    assertThat(TargetStatistics.outdated(0, 5000)).isTrue();
    assertThat(TargetStatistics.outdated(4999, 5000)).isTrue();
    assertThat(TargetStatistics.outdated(5000, 5000)).isFalse();
    assertThat(TargetStatistics.outdated(-1, 999)).isFalse();
  }

  /** The first large rollout is analyzed, one of the same size after it is not, a larger one is again. */
  @Test
  void analyzesOnlyWhileTheStatisticsAreTooOld() throws Exception {
    TargetStatistics stats = new TargetStatistics(pool);
    rolloutWithTargets(1500);
    assertThat(await(stats.refresh(1500))).isTrue();
    assertThat(knownRows()).isEqualTo(1500.0);

    rolloutWithTargets(1500);
    assertThat(await(stats.refresh(1500))).as("1,500 rows known, 1,500 added").isFalse();
    assertThat(knownRows()).isEqualTo(1500.0);

    rolloutWithTargets(4000);
    assertThat(await(stats.refresh(4000))).isTrue();
    assertThat(knownRows()).isEqualTo(7000.0);
    assertThat(await(stats.refresh(500))).as("small rollouts never analyze").isFalse();
  }
}
