package io.fleetcast.common.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.db.PgUrl;
import io.fleetcast.common.db.Pools;
import io.fleetcast.common.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Readiness follows the database: a real Postgres behind a loopback relay that can be made to
 * stop answering (it keeps the connections open and swallows every byte, like a hung server).
 */
@Timeout(90)
class DatabaseProbeTest {
  static TestDatabase db;
  static Vertx vertx;
  static NetServer relay;
  static volatile boolean frozen;
  static final List<NetSocket> sockets = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    vertx = Vertx.vertx();
    relay = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      vertx.createNetClient().connect(db.url().port(), db.url().host()).onSuccess(out -> {
        sockets.add(in);
        sockets.add(out);
        in.handler(b -> {
          if (!frozen) {
            out.write(b);
          }
        });
        out.handler(b -> {
          if (!frozen) {
            in.write(b);
          }
        });
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      }).onFailure(e -> in.close());
    }).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    db.close();
  }

  private static boolean within(Duration timeout, java.util.function.BooleanSupplier cond) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (cond.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return cond.getAsBoolean();
  }

  /** Up while Postgres answers; down within the timeout once it stops answering; up again when it answers again. */
  @Test
  void readinessFollowsADatabaseThatStopsAnswering() throws Exception {
    PgUrl viaRelay = new PgUrl("127.0.0.1", relay.actualPort(), db.url().database(), db.url().user(),
        db.url().password());
    Pool pool = Pools.create(vertx, viaRelay, 2, 100);
    DatabaseProbe probe = new DatabaseProbe(vertx, pool, 1_000);
    Readiness readiness = new Readiness();
    readiness.add("database", probe::up);
    try {
      // GIVEN a database that answers: ready (the first probe may time out on a loaded machine; a later one answers)
      probe.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(within(Duration.ofSeconds(30), readiness::ready)).as("ready while Postgres answers").isTrue();

      // WHEN it stops answering (connections stay open, nothing comes back)
      frozen = true;

      // THEN readiness turns down, bounded by the probe's timeout and period
      assertThat(within(Duration.ofSeconds(30), () -> !readiness.ready())).as("not ready while Postgres is silent")
          .isTrue();
      assertThat(readiness.report().getJsonObject("checks").getString("database")).isEqualTo("down");

      // AND it comes back once Postgres answers again (the hung connection is dropped, a new one is made)
      frozen = false;
      sockets.forEach(NetSocket::close);
      assertThat(within(Duration.ofSeconds(60), readiness::ready)).as("ready again").isTrue();
    } finally {
      probe.stop();
      pool.close().await();
    }
  }
}
