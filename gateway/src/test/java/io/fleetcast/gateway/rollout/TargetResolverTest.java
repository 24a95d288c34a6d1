package io.fleetcast.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.db.Pools;
import io.fleetcast.common.testing.TestDatabase;
import io.fleetcast.gateway.rollout.RolloutStore.PendingTarget;
import io.fleetcast.gateway.rollout.TargetResolver.Budget;
import io.fleetcast.gateway.rollout.TargetResolver.Chunk;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chunked target resolution: the first chunk claims online targets in the creating
 * transaction, the rest is resolved chunk by chunk by whichever gateway drives the rollout
 * (resumable after a crash), each target exactly once, online agents first, within the budget.
 */
@Timeout(60)
class TargetResolverTest {
  static TestDatabase db;
  static Vertx vertx;
  static Pool pool;
  static final String[] LIVE = {"n1"};
  static final int MAX = Integer.MAX_VALUE;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    vertx = Vertx.vertx();
    pool = Pools.create(vertx, db.url(), 4, 100);
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

  /** Agents tagged {@code tag}: {@code online} of them online on live node n1, {@code offline} offline. */
  static Set<UUID> agents(String tag, int online, int offline) throws Exception {
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < online + offline; i++) {
      UUID id = UUID.randomUUID();
      boolean on = i < online;
      await(pool.preparedQuery("INSERT INTO agents (id, online, node_id, tags, enrolled_at) "
              + "VALUES ($1, $2, $3, ARRAY[$4], now() - interval '1 minute')")
          .execute(Tuple.of(id, on, on ? "n1" : null, tag)));
      ids.add(id);
    }
    return ids;
  }

  static TargetSpec byTag(String tag) {
    return new TargetSpec(List.of(), List.of(tag), List.of(), List.of(), false);
  }

  /** A rollout row as {@link RolloutStore#insert} leaves it: selector stored, resolving from phase 0. */
  static UUID rollout(TargetSpec t) throws Exception {
    UUID id = UUID.randomUUID();
    await(pool.preparedQuery("INSERT INTO rollouts (id, name, state, request, step_count, expires_at, selector, "
            + "resolve_phase, resolve_until, current_wave) VALUES ($1, 'chunks', 'running', '{}'::jsonb, 1, "
            + "now() + interval '1 hour', $2, 0, now(), -1)")
        .execute(Tuple.of(id, TargetResolver.selectorJson(t))));
    return id;
  }

  static Chunk first(TargetResolver r, UUID id, TargetSpec t, Budget b) throws Exception {
    return await(pool.withTransaction(tx -> r.first(tx, id, t, b)));
  }

  static List<Row> targets(UUID id) throws Exception {
    List<Row> out = new ArrayList<>();
    await(pool.preparedQuery("SELECT agent_id, state, wave, ordinal FROM rollout_targets WHERE rollout_id = $1 "
        + "ORDER BY ordinal").execute(Tuple.of(id))).forEach(out::add);
    return out;
  }

  static Row rolloutRow(UUID id) throws Exception {
    return await(pool.preparedQuery("SELECT resolve_phase, resolve_cursor, target_count FROM rollouts WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next();
  }

  @Test
  void firstChunkClaimsOnlineTargetsAndAnotherGatewayResumesTheRest() throws Exception {
    // GIVEN 7 online and 4 offline agents, a rollout creating gateway that resolves 3 targets before commit
    Set<UUID> online = agents("resume", 7, 0);
    Set<UUID> all = new HashSet<>(online);
    all.addAll(agents("resume", 0, 4));
    agents("other-tag", 3, 0);
    TargetSpec t = byTag("resume");
    UUID id = rollout(t);
    TargetResolver creator = new TargetResolver(pool, () -> LIVE, 3, 2);

    // WHEN it commits the first chunk, then crashes, and another gateway resolves the rest chunk by chunk
    Chunk c = first(creator, id, t, new Budget(MAX, MAX));
    TargetResolver successor = new TargetResolver(pool, () -> LIVE, 3, 2);
    List<PendingTarget> claimed = new ArrayList<>(c.claimed());
    List<Chunk> later = new ArrayList<>();
    Chunk firstChunk = c;
    int chunks = 0;
    while (!c.done() && chunks++ < 20) {
      c = successor.next(id, new Budget(MAX, MAX)).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      claimed.addAll(c.claimed());
      later.add(c);
    }

    // THEN the first chunk was 3 online agents, claimed with their node, and resolution finished
    assertThat(claimed.subList(0, 3)).allSatisfy(p -> {
      assertThat(online).contains(p.agentId());
      assertThat(p.nodeId()).isEqualTo("n1");
    });
    assertThat(c.done()).isTrue();
    // AND the nodes were told more would follow until the online agents ran out, and nothing was claimed after that
    assertThat(firstChunk.part()).isEqualTo(io.fleetcast.common.bus.FanOutPart.MORE_TO_COME);
    int lastPart = later.stream().map(Chunk::part).toList().indexOf(io.fleetcast.common.bus.FanOutPart.LAST);
    assertThat(lastPart).isNotNegative();
    assertThat(later.subList(lastPart + 1, later.size())).allSatisfy(x -> assertThat(x.claimed()).isEmpty());
    // AND every selected agent is a target exactly once, online ones first and all claimed exactly once
    List<Row> rows = targets(id);
    assertThat(rows).extracting(r -> r.getUUID(0)).containsExactlyInAnyOrderElementsOf(all);
    assertThat(rows.subList(0, 7)).allSatisfy(r -> assertThat(r.getString(1)).isEqualTo("dispatched"));
    assertThat(rows.subList(7, 11)).allSatisfy(r -> assertThat(r.getString(1)).isEqualTo("pending"));
    assertThat(rows).allSatisfy(r -> assertThat(r.getInteger(2)).isEqualTo(0));
    assertThat(claimed).extracting(PendingTarget::agentId).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(online);
    assertThat(rows).extracting(r -> r.getInteger(3)).doesNotHaveDuplicates();
    Row r = rolloutRow(id);
    assertThat(r.getValue(0)).isNull();
    assertThat(r.getInteger(2)).isEqualTo(11);
  }

  @Test
  void aChunkResolvedAgainInsertsAndClaimsNothingTwice() throws Exception {
    // GIVEN a rollout whose targets are all resolved
    Set<UUID> all = agents("again", 3, 2);
    TargetSpec t = byTag("again");
    UUID id = rollout(t);
    TargetResolver r = new TargetResolver(pool, () -> LIVE, 10, 10);
    Chunk c = first(r, id, t, new Budget(MAX, MAX));
    assertThat(c.done()).isTrue();
    assertThat(c.claimed()).hasSize(3);

    // WHEN its position is lost (as if the cursor had not been written) and the chunks run again
    await(pool.preparedQuery("UPDATE rollouts SET resolve_phase = 0, resolve_cursor = NULL WHERE id = $1")
        .execute(Tuple.of(id)));
    List<PendingTarget> again = new ArrayList<>();
    for (int i = 0; i < 5 && !c.done() || i == 0; i++) {
      c = await(r.next(id, new Budget(MAX, MAX)));
      again.addAll(c.claimed());
    }

    // THEN no target is inserted or claimed twice
    assertThat(again).isEmpty();
    assertThat(targets(id)).hasSize(all.size());
  }

  @Test
  void theBudgetBoundsClaimsAndAShareOfAWaveWaitsForTheTotal() throws Exception {
    // GIVEN 5 online agents, a window of 2 and a first wave released only once the total is known
    agents("budget", 5, 0);
    TargetSpec t = byTag("budget");
    UUID id = rollout(t);
    TargetResolver r = new TargetResolver(pool, () -> LIVE, 10, 10);

    // WHEN the first chunk may release 3 and claim 2
    Chunk c = first(r, id, t, new Budget(3, 2));
    while (!c.done()) {
      c = await(r.next(id, new Budget(0, 0)));
    }

    // THEN 2 are dispatched, 1 more released and pending, 2 not released
    List<Row> rows = targets(id);
    assertThat(rows).hasSize(5);
    assertThat(rows).filteredOn(x -> "dispatched".equals(x.getString(1))).hasSize(2);
    assertThat(rows).filteredOn(x -> x.getInteger(2) != null).hasSize(3);
  }

  @Test
  void aCancelledRolloutStopsResolvingAndLateEnrollmentsAreNotTargets() throws Exception {
    // GIVEN a rollout of 4 agents whose first chunk resolved 1
    agents("stop", 4, 0);
    TargetSpec t = byTag("stop");
    UUID id = rollout(t);
    TargetResolver r = new TargetResolver(pool, () -> LIVE, 1, 1);
    first(r, id, t, new Budget(MAX, MAX));
    // AND an agent enrolled after the rollout was created (now() is after resolve_until)
    await(pool.preparedQuery("INSERT INTO agents (id, online, node_id, tags) VALUES ($1, true, 'n1', ARRAY['stop'])")
        .execute(Tuple.of(UUID.randomUUID())));

    // WHEN one more chunk is resolved, then the rollout is cancelled
    await(r.next(id, new Budget(MAX, MAX)));
    RolloutStore store = new RolloutStore(pool, () -> LIVE);
    assertThat(await(store.setState(pool, id, io.fleetcast.common.rollout.RolloutState.RUNNING, io.fleetcast.common.rollout.RolloutState.CANCELLED, "test"))).isTrue();
    Chunk after = await(r.next(id, new Budget(MAX, MAX)));

    // THEN resolution has ended with what was resolved before the cancel
    assertThat(after.done()).isTrue();
    assertThat(after.claimed()).isEmpty();
    assertThat(targets(id)).hasSize(2);
    assertThat(rolloutRow(id).getValue(0)).isNull();

    // AND resolving a fresh rollout of the same selector to the end never takes the late agent
    UUID id2 = rollout(t);
    await(pool.preparedQuery("UPDATE rollouts SET resolve_until = now() - interval '30 seconds' WHERE id = $1")
        .execute(Tuple.of(id2)));
    Chunk c = first(r, id2, t, new Budget(MAX, MAX));
    while (!c.done()) {
      c = await(r.next(id2, new Budget(MAX, MAX)));
    }
    assertThat(targets(id2)).hasSize(4);
  }

  @Test
  void theStoredSelectorReadsBackAsItWasGiven() {
    // GIVEN a selector of every kind
    TargetSpec t = new TargetSpec(List.of(UUID.randomUUID().toString()), List.of("a"), List.of("b"), List.of("10.0.0.0/8"),
        false);

    // WHEN it is stored and read back
    JsonObject j = TargetResolver.selectorJson(t);

    // THEN it is the same selector
    assertThat(TargetResolver.selector(new JsonObject(j.encode()))).isEqualTo(t);
  }
}
