package io.fleetcast.common.location;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link AgentLocationRegistry} must have, run against each implementation
 * by a subclass. Agent and node ids are fresh per test, so implementations may share state.
 */
abstract class AgentLocationRegistryContract {

  /** The registry under test. */
  abstract AgentLocationRegistry registry();

  static String agent() {
    return UUID.randomUUID().toString();
  }

  static String node() {
    return "node-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Location at(String node) {
    return new Location(node, UUID.randomUUID().toString());
  }

  /** put yields the location it replaced (empty for the first), and get reads the latest. */
  @Test
  void putReturnsPrevious(VertxTestContext ctx) {
    // GIVEN an agent not yet located
    AgentLocationRegistry r = registry();
    String agent = agent();
    Location first = at(node());
    Location second = at(node());

    // WHEN it is located twice
    r.put(agent, first)
        .compose(prev1 -> r.put(agent, second).map(prev2 -> List.of(prev1, prev2)))
        .compose(prevs -> r.get(agent).map(now -> {
          // THEN the first put replaced nothing, the second replaced the first, and get sees the second
          assertThat(prevs.get(0)).isEmpty();
          assertThat(prevs.get(1)).contains(first);
          assertThat(now).contains(second);
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * THE RECONNECT RACE: the agent reconnects to node B before node A's late cleanup of the old
   * socket runs; A's conditional removal must not erase B's entry.
   */
  @Test
  void lateCleanupOfOldNodeKeepsNewEntry(VertxTestContext ctx) {
    // GIVEN an agent connected to node A, which then reconnects to node B
    AgentLocationRegistry r = registry();
    String agent = agent();
    Location onA = at(node());
    Location onB = at(node());

    r.put(agent, onA)
        .compose(v -> r.put(agent, onB))
        // WHEN node A's disconnect handler runs only now
        .compose(v -> r.removeIfMatches(agent, onA))
        .compose(removed -> r.get(agent).map(now -> {
          // THEN nothing was removed and the agent is still located on B
          assertThat(removed).isFalse();
          assertThat(now).contains(onB);
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** A reconnect to the same node with a new session is protected the same way: the session id decides. */
  @Test
  void lateCleanupOfOldSessionOnSameNodeKeepsNewEntry(VertxTestContext ctx) {
    // GIVEN an agent whose second connection lands on the same node
    AgentLocationRegistry r = registry();
    String agent = agent();
    String node = node();
    Location oldSession = at(node);
    Location newSession = at(node);

    r.put(agent, oldSession)
        .compose(v -> r.put(agent, newSession))
        // WHEN the old session's cleanup runs late
        .compose(v -> r.removeIfMatches(agent, oldSession))
        .compose(removed -> r.get(agent).map(now -> {
          // THEN the new session's entry stays
          assertThat(removed).isFalse();
          assertThat(now).contains(newSession);
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** removeIfMatches removes the entry of the same session, and then the agent is unlocated. */
  @Test
  void removeIfMatchesRemovesSameSession(VertxTestContext ctx) {
    // GIVEN a located agent
    AgentLocationRegistry r = registry();
    String agent = agent();
    Location here = at(node());

    r.put(agent, here)
        // WHEN its own session is removed (with an equal, not identical, location)
        .compose(v -> r.removeIfMatches(agent, new Location(here.nodeId(), here.sessionId())))
        .compose(removed -> r.removeIfMatches(agent, here).map(again -> List.of(removed, again)))
        .compose(removals -> r.get(agent).map(now -> {
          // THEN the first removal succeeds, a repeat is a no-op, and the agent is gone
          assertThat(removals).containsExactly(true, false);
          assertThat(now).isEmpty();
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** getAll yields the located agents among those asked, and nothing for the rest. */
  @Test
  void getAllReturnsOnlyLocated(VertxTestContext ctx) {
    // GIVEN two located agents and one that is not
    AgentLocationRegistry r = registry();
    String a = agent();
    String b = agent();
    String absent = agent();
    Location la = at(node());
    Location lb = at(node());

    Future.all(r.put(a, la), r.put(b, lb))
        // WHEN all three are looked up, and then none
        .compose(v -> r.getAll(List.of(a, b, absent)))
        .compose(found -> r.getAll(List.of()).map(none -> {
          // THEN only the located ones come back
          assertThat(found).containsOnly(Map.entry(a, la), Map.entry(b, lb));
          assertThat(none).isEmpty();
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Over a thousand agents at once (looked up partition by partition): every located one found, a missing one filled in. */
  @Test
  void manyAgentsAreLookedUpAndReassertedWhole(VertxTestContext ctx) {
    // GIVEN 1,200 located agents, one of which has lost its entry
    AgentLocationRegistry r = registry();
    Map<String, Location> held = new java.util.HashMap<>();
    List<Future<?>> puts = new java.util.ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      String a = agent();
      Location l = at(node());
      held.put(a, l);
      puts.add(r.put(a, l));
    }
    String lost = held.keySet().iterator().next();
    Future.all(puts).compose(v -> r.removeIfMatches(lost, held.get(lost)))
        // WHEN all are looked up, re-asserted, and looked up again
        .compose(v -> r.getAll(held.keySet()))
        .compose(before -> r.reassert(held).compose(n -> r.getAll(held.keySet()).map(after -> {
          // THEN all but the lost one were found, it alone was filled in, and then all are found
          assertThat(before).hasSize(1199).doesNotContainKey(lost);
          assertThat(n).isEqualTo(1);
          assertThat(after).isEqualTo(held);
          return null;
        })))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** reassert fills in missing entries but never overwrites one that another connection wrote since. */
  @Test
  void reassertFillsOnlyMissing(VertxTestContext ctx) {
    // GIVEN node A holds agents x and y; y has meanwhile connected to node B; x's entry was lost
    AgentLocationRegistry r = registry();
    String nodeA = node();
    String x = agent();
    String y = agent();
    Location xOnA = at(nodeA);
    Location yOnA = at(nodeA);
    Location yOnB = at(node());

    r.put(y, yOnB)
        // WHEN A re-asserts what it believes it holds
        .compose(v -> r.reassert(Map.of(x, xOnA, y, yOnA)))
        .compose(n -> r.getAll(List.of(x, y)).map(now -> {
          // THEN only x was filled in and y still points at B
          assertThat(n).isEqualTo(1);
          assertThat(now).containsOnly(Map.entry(x, xOnA), Map.entry(y, yOnB));
          return null;
        }))
        .compose(v -> r.reassert(Map.of()))
        .onComplete(ctx.succeeding(n -> ctx.verify(() -> {
          assertThat(n).isZero();
          ctx.completeNow();
        })));
  }

  /** purgeNode removes every entry of that node and only those, even when node ids share a prefix or hold LIKE wildcards. */
  @Test
  void purgeNodeRemovesOnlyThatNode(VertxTestContext ctx) {
    // GIVEN agents on a departed node, on a node whose id extends it, and on one its id matches as a LIKE pattern
    AgentLocationRegistry r = registry();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String departed = "dc1.node_" + suffix;
    String longer = departed + "0";
    String wildcardTwin = "dc1.nodeX" + suffix;
    String a1 = agent();
    String a2 = agent();
    String b = agent();
    String c = agent();

    Future.all(List.of(r.put(a1, at(departed)), r.put(a2, at(departed)), r.put(b, at(longer)), r.put(c, at(wildcardTwin))))
        // WHEN the departed node is purged
        .compose(v -> r.purgeNode(departed))
        .compose(n -> r.getAll(List.of(a1, a2, b, c)).map(now -> {
          // THEN exactly its two entries are gone
          assertThat(n).isEqualTo(2);
          assertThat(now).containsOnlyKeys(b, c);
          return null;
        }))
        .compose(v -> r.purgeNode(departed))
        .onComplete(ctx.succeeding(again -> ctx.verify(() -> {
          assertThat(again).isZero();
          ctx.completeNow();
        })));
  }

  /** get of an unknown agent is empty, not an error. */
  @Test
  void getUnknownIsEmpty(VertxTestContext ctx) {
    // GIVEN an agent never located
    // WHEN it is looked up
    registry().get(agent()).onComplete(ctx.succeeding(loc -> ctx.verify(() -> {
      // THEN there is no location
      assertThat(loc).isEqualTo(Optional.empty());
      ctx.completeNow();
    })));
  }
}
