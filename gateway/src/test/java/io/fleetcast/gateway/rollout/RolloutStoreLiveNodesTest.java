package io.fleetcast.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.db.Pools;
import io.fleetcast.common.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the engine reads about a running rollout when some agents' rows name a node that is not a
 * live member (it died, was cut off, or the whole cluster restarted): such agents are neither
 * picked, nor waited on, nor allowed to hold the in-flight window.
 */
@Timeout(60)
class RolloutStoreLiveNodesTest {
  static TestDatabase db;
  static Vertx vertx;
  static Pool pool;
  static final String[] LIVE = {"n1"};

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

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static UUID agent(boolean online, String node) throws Exception {
    UUID id = UUID.randomUUID();
    await(pool.preparedQuery("INSERT INTO agents (id, online, node_id) VALUES ($1, $2, $3)")
        .execute(Tuple.of(id, online, node)));
    return id;
  }

  static UUID rollout() throws Exception {
    UUID id = UUID.randomUUID();
    await(pool.preparedQuery("INSERT INTO rollouts (id, name, state, request, step_count, expires_at, max_in_flight) "
        + "VALUES ($1, 'live nodes', 'running', '{}'::jsonb, 1, now() + interval '1 hour', 2)").execute(Tuple.of(id)));
    return id;
  }

  static void target(UUID rollout, UUID agent, int ordinal, String state) throws Exception {
    await(pool.preparedQuery("INSERT INTO rollout_targets (rollout_id, agent_id, ordinal, wave, state, dispatched_at) "
            + "VALUES ($1, $2, $3, 0, $4, CASE WHEN $4 = 'dispatched' THEN now() END)")
        .execute(Tuple.of(rollout, agent, ordinal, state)));
  }

  /**
   * Targets dispatched to an agent whose row names a departed node, or that is offline, do not
   * count in flight: with maxInFlight 2, one target on a live node leaves room for one more.
   */
  @Test
  void targetsDispatchedToAnUnreachableNodeDoNotHoldTheWindow() throws Exception {
    // GIVEN dispatched targets: on live n1, on the departed node "n3", on an offline agent, on no node
    UUID r = rollout();
    target(r, agent(true, "n1"), 0, "dispatched");
    target(r, agent(true, "n3"), 1, "dispatched");
    target(r, agent(false, "n3"), 2, "dispatched");
    target(r, agent(true, null), 4, "dispatched"); // a row naming no node at all is held by no live node either
    target(r, agent(true, "n1"), 3, "pending");
    RolloutStore store = new RolloutStore(pool, () -> LIVE);

    // WHEN the engine counts the rollout
    WaveProgress p = await(store.progress(r, 5));

    // THEN only the target on the live node is in flight, and the policy lets one more go out
    assertThat(p.inFlight()).isEqualTo(1);
    assertThat(p.pendingOnline()).isTrue();
    WavePolicy.Decision d = new WavePolicy(List.of(100), 2, null).decide(0, p);
    assertThat(d.action()).isEqualTo(WavePolicy.Action.DISPATCH);
    assertThat(d.dispatchBudget()).isEqualTo(1);
  }

  /** An agent still "online" on a node that is not a member is not picked for dispatch and does not hold its wave open. */
  @Test
  void anAgentOfADepartedNodeIsNeitherPickedNorWaitedOn() throws Exception {
    // GIVEN a pending target whose agent's row says online on the departed node "n3"
    UUID r = rollout();
    UUID ghost = agent(true, "n3");
    target(r, ghost, 0, "pending");
    RolloutStore store = new RolloutStore(pool, () -> LIVE);

    // WHEN the engine reads what to dispatch and whether the wave still waits
    List<RolloutStore.PendingTarget> batch = await(store.claimPending(r, 10));
    WaveProgress p = await(store.progress(r, 1));

    // THEN nothing is picked and the wave is not waiting on it
    assertThat(batch).isEmpty();
    assertThat(p.pendingOnline()).isFalse();
    assertThat(new WavePolicy(List.of(100, 100), null, null).decide(0, p).action())
        .isEqualTo(WavePolicy.Action.ADVANCE_WAVE);

    // AND once the agent is online on a live node it is picked, with that node
    await(pool.preparedQuery("UPDATE agents SET node_id = 'n1' WHERE id = $1").execute(Tuple.of(ghost)));
    assertThat(await(store.claimPending(r, 10))).extracting(RolloutStore.PendingTarget::nodeId).containsExactly("n1");
  }
}
