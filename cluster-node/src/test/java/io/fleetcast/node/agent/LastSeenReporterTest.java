package io.fleetcast.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.db.Pools;
import io.fleetcast.common.testing.TestDatabase;
import io.fleetcast.node.store.PresenceEvent;
import io.fleetcast.node.store.PresenceStore;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.Facts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Connected agents' lastSeen follows what the node heard (issue 11 #16), against a real database. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class LastSeenReporterTest {

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static OffsetDateTime lastSeen(Pool pool, UUID id) throws Exception {
    return await(pool.preparedQuery("SELECT last_seen FROM agents WHERE id = $1").execute(Tuple.of(id)))
        .iterator().next().getOffsetDateTime(0);
  }

  /** A pass writes the last-heard time of the sessions heard since the previous pass, and leaves silent ones alone. */
  @Test
  void writesWhatWasHeardSinceThePreviousPass(Vertx vertx) throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      Pool pool = Pools.create(vertx, db.url(), 2, 100);
      PresenceStore store = new PresenceStore(pool, SessionFixture.NODE, ids -> {});
      // GIVEN two connected sessions whose rows say they were last seen an hour ago
      SessionFixture f = new SessionFixture(vertx);
      UUID talkative = UUID.randomUUID();
      UUID silent = UUID.randomUUID();
      AgentSession a = f.session(talkative.toString(), new FakeConnection());
      AgentSession b = f.session(silent.toString(), new FakeConnection());
      for (AgentSession s : List.of(a, b)) {
        s.onText(new AgentMessage.Hello(s.agentId(), "1", Facts.EMPTY).encode());
      }
      await(store.write(List.of(PresenceEvent.online(talkative, a.sessionId(), Facts.EMPTY, "1"),
          PresenceEvent.online(silent, b.sessionId(), Facts.EMPTY, "1"))));
      await(pool.query("UPDATE agents SET last_seen = now() - interval '1 hour'").execute());
      LastSeenReporter reporter = new LastSeenReporter(f.sessions, store);

      // WHEN only one of them is heard before the pass
      a.heard();
      int written = await(reporter.pass());

      // THEN its lastSeen is now, the silent one's is untouched
      assertThat(written).isEqualTo(1);
      assertThat(Duration.between(lastSeen(pool, talkative).toInstant(), Instant.now()).abs())
          .isLessThan(Duration.ofMinutes(5));
      assertThat(lastSeen(pool, silent).toInstant()).isBefore(Instant.now().minus(Duration.ofMinutes(50)));
      // AND a pass with nothing heard since writes nothing
      assertThat(await(reporter.pass())).isZero();
      await(pool.close());
    }
  }
}
