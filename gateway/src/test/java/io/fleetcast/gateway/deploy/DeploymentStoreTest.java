package io.fleetcast.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.db.Pools;
import io.fleetcast.common.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The host state moves in Postgres: claim once, compare-and-set transitions, stale installs requeued. */
@Timeout(60)
class DeploymentStoreTest {
  static TestDatabase db;
  static Vertx vertx;
  static Pool pool;
  static DeploymentStore store;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    vertx = Vertx.vertx();
    pool = Pools.create(vertx, db.url(), 4, 100);
    store = new DeploymentStore(pool);
  }

  @AfterAll
  static void stop() {
    await(pool.close());
    vertx.close().await();
    db.close();
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static UUID job(int hosts) {
    UUID id = UUID.randomUUID();
    List<DiscoveredHost> list = new java.util.ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      list.add(new DiscoveredHost("h" + i + "-" + id.toString().substring(0, 4), "192.0.2." + (i + 1), "list"));
    }
    await(pool.withTransaction(tx -> store.insertJob(tx, id, "t", "list", List.of(), list, "test")));
    assertThat(await(store.schedule(id, new JsonObject(), "sealed", new JsonObject(), HostState.DISCOVERED)))
        .isEqualTo(hosts);
    return id;
  }

  /** Two claimers at once never get the same host; a claimed host is installing with attempt 1. */
  @Test
  void claimIsExclusive() {
    UUID id = job(6);
    // both at once, each big enough for every scheduled host of this class's database
    var a = store.claim(1000);
    var b = store.claim(1000);
    List<DeploymentStore.Claimed> all = new java.util.ArrayList<>(await(a));
    all.addAll(await(b));
    List<DeploymentStore.Claimed> mine = all.stream().filter(c -> c.jobId().equals(id)).toList();
    assertThat(mine).hasSize(6);
    assertThat(mine.stream().map(DeploymentStore.Claimed::nameKey).distinct()).hasSize(6);
    assertThat(mine).allMatch(c -> c.attempt() == 1);
  }

  /** Only an installing host can fail or succeed; a failed one is re-scheduled by retry, a succeeded one never. */
  @Test
  void transitionsAreCompareAndSet() {
    UUID id = job(1);
    DeploymentStore.Claimed c = await(store.claim(100)).stream().filter(x -> x.jobId().equals(id)).findFirst().orElseThrow();
    await(store.failed(id, c.nameKey(), DeployFailure.of(DeployError.LOGON_FAILURE, "no"), null));
    await(store.succeeded(id, c.nameKey(), UUID.randomUUID())); // not installing any more: no effect
    JsonObject job = await(store.get(id, null));
    assertThat(job.getJsonArray("hosts").getJsonObject(0).getString("state")).isEqualTo("failed");
    assertThat(await(store.schedule(id, null, null, null, HostState.FAILED))).isEqualTo(1);
    assertThat(await(store.get(id, null)).getJsonObject("counts").getInteger("scheduled")).isEqualTo(1);
  }

  /** An install nobody touched for longer than the stale bound goes back to scheduled; a fresh one stays. */
  @Test
  void staleInstallsAreRequeued() {
    UUID id = job(2);
    List<DeploymentStore.Claimed> c = await(store.claim(100)).stream().filter(x -> x.jobId().equals(id)).toList();
    assertThat(c).hasSize(2);
    await(pool.preparedQuery("UPDATE deployment_hosts SET updated_at = now() - interval '2 hours' "
        + "WHERE deployment_id = $1 AND name_key = $2").execute(Tuple.of(id, c.get(0).nameKey())));
    assertThat(await(store.requeueStale(Duration.ofHours(1)))).isEqualTo(1);
    JsonObject counts = await(store.get(id, null)).getJsonObject("counts");
    assertThat(counts.getInteger("scheduled")).isEqualTo(1);
    assertThat(counts.getInteger("installing")).isEqualTo(1);
  }
}
