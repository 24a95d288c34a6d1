package io.fleetcast.node.wake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.wake.InMemoryRelayIndex;
import io.fleetcast.common.wake.RelayIndex.Entry;
import io.fleetcast.protocol.Facts;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node keeps the cluster's relay index equal to the sessions it holds, with per-session conditional removal. */
@Timeout(20)
class WakeRelayIndexPublisherTest {
  record Held(String sessionId, Facts facts) {}

  Vertx vertx;
  InMemoryRelayIndex index;
  Map<String, Held> sessions;
  RelayIndexPublisher publisher;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    index = new InMemoryRelayIndex();
    sessions = new ConcurrentHashMap<>();
    publisher = new RelayIndexPublisher(vertx, index, "node-a", v -> sessions.forEach((id, h) ->
        v.visit(id, h.sessionId(), h.facts())));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  static Facts facts(List<String> macs, String... subnets) {
    return new Facts("h", "os", "x", List.of(), macs, List.of(subnets), List.of(), List.of());
  }

  List<String> keys() {
    return index.all().stream().map(Entry::key).sorted().toList();
  }

  /** Connect, facts change and disconnect reach the index; subnets are canonical, junk is dropped. */
  @Test
  void followsConnectsFactsChangesAndDisconnects() {
    // GIVEN an agent connected with two subnets (one written with host bits) and a junk subnet
    sessions.put("a1", new Held("s1", facts(List.of("02-00-00-00-00-01", "junk"), "10.1.2.7/24", "10.9.0.0/16", "nope")));
    publisher.sync().await();
    // THEN both subnets are published in canonical form, with this node, the session and the parsed MACs
    assertThat(keys()).containsExactly("a1@10.1.2.0/24", "a1@10.9.0.0/16");
    assertThat(index.all()).allSatisfy(e -> {
      assertThat(e.nodeId()).isEqualTo("node-a");
      assertThat(e.sessionId()).isEqualTo("s1");
      assertThat(e.macs()).containsExactly("02:00:00:00:00:01");
    });
    // WHEN its facts change (one subnet gone, one new)
    sessions.put("a1", new Held("s1", facts(List.of("02:00:00:00:00:01"), "10.1.2.0/24", "192.0.2.0/24")));
    publisher.sync().await();
    assertThat(keys()).containsExactly("a1@10.1.2.0/24", "a1@192.0.2.0/24");
    // WHEN it disconnects
    sessions.remove("a1");
    publisher.sync().await();
    assertThat(index.all()).isEmpty();
  }

  /** While the session table's version stands still a pass visits nothing; once it moves, the change is published. */
  @Test
  void anUnchangedTableIsNotVisited() {
    // GIVEN sessions that report a version, and one pass done
    java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicInteger visits = new java.util.concurrent.atomic.AtomicInteger();
    RelayIndexPublisher p = new RelayIndexPublisher(vertx, index, "node-a", new RelayIndexPublisher.Sessions() {
      @Override
      public void forEach(RelayIndexPublisher.SessionVisitor v) {
        visits.incrementAndGet();
        sessions.forEach((id, h) -> v.visit(id, h.sessionId(), h.facts()));
      }

      @Override
      public long version() {
        return version.get();
      }
    });
    sessions.put("a1", new Held("s1", facts(List.of(), "10.1.2.0/24")));
    p.sync().await();
    assertThat(visits.get()).isEqualTo(1);

    // WHEN nothing changed THEN the next pass does not visit the sessions
    p.sync().await();
    assertThat(visits.get()).isEqualTo(1);

    // WHEN a session comes and the version moves THEN the pass publishes it
    sessions.put("a2", new Held("s2", facts(List.of(), "10.1.3.0/24")));
    version.incrementAndGet();
    p.sync().await();
    assertThat(visits.get()).isEqualTo(2);
    assertThat(keys()).containsExactly("a1@10.1.2.0/24", "a2@10.1.3.0/24");
  }

  /**
   * Only a few agents per subnet are published; when a candidate leaves or its facts move it to
   * another subnet, an agent standing by takes its place in the same pass.
   */
  @Test
  void publishesAFewCandidatesPerSubnetAndRefillsTheirPlaces() {
    // GIVEN a node that publishes 2 candidates per subnet, holding 5 agents of one subnet and 1 of another
    RelayIndexPublisher p = new RelayIndexPublisher(vertx, index, "node-a", v -> sessions.forEach((id, h) ->
        v.visit(id, h.sessionId(), h.facts())), 2);
    for (int i = 1; i <= 5; i++) {
      sessions.put("a" + i, new Held("s" + i, facts(List.of(), "10.1.2.0/24")));
    }
    sessions.put("b1", new Held("sb", facts(List.of(), "10.7.0.0/16", "10.1.2.9/24")));
    p.sync().await();
    // THEN each subnet has at most 2 candidates, and the lone agent of the other subnet is one of its
    assertThat(index.all().stream().filter(e -> e.subnet().equals("10.1.2.0/24")).count()).isEqualTo(2);
    assertThat(keys()).contains("b1@10.7.0.0/16");

    // WHEN both candidates of the full subnet disconnect
    List<String> chosen = index.all().stream().filter(e -> e.subnet().equals("10.1.2.0/24")).map(Entry::agentId).toList();
    chosen.forEach(sessions::remove);
    p.sync().await();
    // THEN two agents standing by take their places in the same pass
    List<String> now = index.all().stream().filter(e -> e.subnet().equals("10.1.2.0/24")).map(Entry::agentId).toList();
    assertThat(now).hasSize(2).doesNotContainAnyElementsOf(chosen).allMatch(sessions::containsKey);

    // WHEN a candidate's facts move it to a new subnet THEN it is published there and its old place refilled
    String moved = now.get(0);
    sessions.put(moved, new Held(sessions.get(moved).sessionId(), facts(List.of(), "192.0.2.0/24")));
    p.sync().await();
    assertThat(keys()).contains(moved + "@192.0.2.0/24").doesNotContain(moved + "@10.1.2.0/24");
    assertThat(index.all().stream().filter(e -> e.subnet().equals("10.1.2.0/24")).count()).isEqualTo(2);
    // and every published entry names a session this node holds
    assertThat(index.all()).allSatisfy(e -> assertThat(sessions.get(e.agentId()).sessionId()).isEqualTo(e.sessionId()));
  }

  /** A late disconnect here does not erase the entry the agent's newer connection (on another node) wrote. */
  @Test
  void lateRemovalSparesANewerSessionsEntry() {
    sessions.put("a1", new Held("s1", facts(List.of(), "10.1.2.0/24")));
    publisher.sync().await();
    // GIVEN the agent reconnected on node B, which overwrote the entry
    index.putAll(List.of(new Entry("a1", "10.1.2.0/24", "node-b", "s2", List.of())));
    // WHEN node A notices its old session is gone
    sessions.remove("a1");
    publisher.sync().await();
    // THEN node B's entry stays
    assertThat(index.all()).singleElement().satisfies(e -> {
      assertThat(e.nodeId()).isEqualTo("node-b");
      assertThat(e.sessionId()).isEqualTo("s2");
    });
  }

  /** Re-assertion writes back lost entries and removes stray entries of this node that it does not hold. */
  @Test
  void reconcileRepairsTheIndex() {
    sessions.put("a1", new Held("s1", facts(List.of(), "10.1.2.0/24")));
    sessions.put("a2", new Held("s2", facts(List.of(), "10.1.3.0/24")));
    publisher.sync().await();
    // GIVEN a lost entry (partition loss) and a stray entry naming this node
    index.removeIfMatches(index.all().stream().filter(e -> e.agentId().equals("a1")).toList());
    index.putAll(List.of(new Entry("ghost", "10.1.2.0/24", "node-a", "old", List.of())));
    // WHEN the node re-asserts
    int fixed = publisher.reconcile().await();
    // THEN the index is what the node holds again
    assertThat(fixed).isEqualTo(2);
    assertThat(keys()).containsExactly("a1@10.1.2.0/24", "a2@10.1.3.0/24");
  }

  /** Stopping withdraws this node's entries. */
  @Test
  void stopWithdraws() {
    sessions.put("a1", new Held("s1", facts(List.of(), "10.1.2.0/24")));
    publisher.sync().await();
    publisher.stop().await();
    assertThat(index.all()).isEmpty();
  }
}
