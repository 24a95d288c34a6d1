package io.fleetcast.node.store;

import static io.fleetcast.node.store.StoreDb.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.protocol.Facts;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Agent presence rows: online, facts and offline per session, against a real database. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class PresenceStoreTest {
  private static final Facts FACTS = new Facts("pc-1", "linux", "amd64", List.of("10.0.0.7", "fe80::1"),
      List.of("aa:bb:cc:dd:ee:ff"), List.of("10.0.0.7/24"), List.of("kiosk", "branch", "kiosk"), List.of("alice"));

  private static StoreDb db;
  private static PresenceStore store;
  private static final List<Set<UUID>> cameOnline = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start(Vertx vertx) {
    db = new StoreDb(vertx);
    store = new PresenceStore(db.pool, "node-a", cameOnline::add);
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
  }

  private static void write(PresenceEvent... events) {
    assertThat(await(store.write(List.of(events)))).hasSize(events.length);
  }

  private static Row agent(UUID id) {
    return db.one("SELECT online, node_id, session_id, hostname, tags::text[] AS tags, reported_tags, ips::text[] AS ips, "
        + "subnets::text[] AS subnets, facts, version, connected_at, last_seen FROM agents WHERE id = $1", id);
  }

  /** online writes the row: node, session, facts, tags, addresses (subnets as networks) and the connect time. */
  @Test
  void onlineWritesTheRow() {
    // GIVEN an agent's connect
    UUID id = UUID.randomUUID();

    // WHEN it is written
    write(PresenceEvent.online(id, "s1", FACTS, "1.2.3"));

    // THEN the row says online here with the facts, and the agent is reported as having come online
    Row r = agent(id);
    assertThat(r.getBoolean("online")).isTrue();
    assertThat(r.getString("node_id")).isEqualTo("node-a");
    assertThat(r.getString("session_id")).isEqualTo("s1");
    assertThat(r.getString("hostname")).isEqualTo("pc-1");
    assertThat(r.getString("version")).isEqualTo("1.2.3");
    assertThat(Arrays.asList(r.getArrayOfStrings("reported_tags"))).containsExactly("branch", "kiosk");
    assertThat(Arrays.asList(r.getArrayOfStrings("tags"))).isEmpty();
    assertThat(Arrays.asList(r.getArrayOfStrings("ips"))).containsExactly("10.0.0.7/32", "fe80::1/128");
    assertThat(Arrays.asList(r.getArrayOfStrings("subnets"))).containsExactly("10.0.0.0/24");
    assertThat(r.getJsonObject("facts").getString("os")).isEqualTo("linux");
    assertThat(r.getOffsetDateTime("connected_at")).isNotNull();
    assertThat(cameOnline).anySatisfy(s -> assertThat(s).contains(id));
  }

  /**
   * At start a node marks offline the rows its previous run left online (it holds no socket yet),
   * and only its own: another node's agent stays online.
   */
  @Test
  void clearNodeMarksOnlyThisNodesAgentsOffline() {
    // GIVEN an agent left online by a previous run of node-a, and one online on node-b
    UUID mine = UUID.randomUUID();
    UUID theirs = UUID.randomUUID();
    write(PresenceEvent.online(mine, "old-run", FACTS, "1"));
    await(new PresenceStore(db.pool, "node-b", ids -> {}).write(List.of(PresenceEvent.online(theirs, "s", FACTS, "1"))));

    // WHEN node-a starts again
    int cleared = await(store.clearNode());

    // THEN its stale row is offline and node-b's agent is untouched
    assertThat(cleared).isGreaterThanOrEqualTo(1);
    assertThat(agent(mine).getBoolean("online")).isFalse();
    assertThat(agent(theirs).getBoolean("online")).isTrue();
  }

  /**
   * After a partition the node restores the presence the other side took away: only rows that
   * still name the session it holds and say offline (or another node) are changed and announced;
   * an agent that reconnected elsewhere meanwhile is left alone.
   */
  @Test
  void restorePutsBackOnlyLostPresenceOfHeldSessions() {
    // GIVEN three agents this node holds: one marked offline by the majority, one still right,
    // and one that has since reconnected elsewhere (another session)
    UUID lost = UUID.randomUUID();
    UUID fine = UUID.randomUUID();
    UUID moved = UUID.randomUUID();
    write(PresenceEvent.online(lost, "s-lost", FACTS, "1"), PresenceEvent.online(fine, "s-fine", FACTS, "1"));
    await(new PresenceStore(db.pool, "node-b", ids -> {}).write(List.of(PresenceEvent.online(moved, "s-new", FACTS, "1"))));
    db.query("UPDATE agents SET online = false WHERE id = $1", lost);
    cameOnline.clear();

    // WHEN node-a restores what it holds
    int restored = await(store.restore(java.util.Map.of(lost, "s-lost", fine, "s-fine", moved, "s-old")));

    // THEN only the lost one is back online here, and only it is announced
    assertThat(restored).isEqualTo(1);
    assertThat(agent(lost).getBoolean("online")).isTrue();
    assertThat(agent(lost).getString("node_id")).isEqualTo("node-a");
    assertThat(agent(moved).getString("node_id")).isEqualTo("node-b");
    assertThat(agent(moved).getString("session_id")).isEqualTo("s-new");
    assertThat(cameOnline).containsExactly(Set.of(lost));
  }

  /** A late offline of an older session does not mark a reconnected agent offline. */
  @Test
  void offlineOfAnotherSessionKeepsOnline() {
    // GIVEN an agent online with session s2 (it reconnected; s1 was its old socket)
    UUID id = UUID.randomUUID();
    write(PresenceEvent.online(id, "s1", FACTS, "1"));
    write(PresenceEvent.online(id, "s2", FACTS, "1"));

    // WHEN the old session's offline arrives late
    write(PresenceEvent.offline(id, "s1"));

    // THEN the agent stays online with s2
    Row r = agent(id);
    assertThat(r.getBoolean("online")).isTrue();
    assertThat(r.getString("session_id")).isEqualTo("s2");
  }

  /**
   * Two nodes' batches commit in either order: the older connection's online arriving after the
   * newer one must not take the row back, and its later offline must not mark the agent offline.
   */
  @Test
  void olderConnectionCommittingLateDoesNotWin() {
    // GIVEN the agent connected to node A at t0 and to node B at t1 > t0, and B's batch committed first
    UUID id = UUID.randomUUID();
    java.time.Instant t0 = java.time.Instant.now().minusSeconds(1);
    write(PresenceEvent.online(id, "sB", FACTS, "1", t0.plusMillis(500)));
    // WHEN A's online (older) and then A's offline commit
    write(PresenceEvent.online(id, "sA", FACTS, "1", t0));
    write(PresenceEvent.offline(id, "sA"));
    // THEN the row still names B's session, online
    Row r = agent(id);
    assertThat(r.getBoolean("online")).isTrue();
    assertThat(r.getString("session_id")).isEqualTo("sB");
  }

  /** offline with the current session marks the agent offline. */
  @Test
  void offlineOfSameSessionMarksOffline() {
    // GIVEN an online agent
    UUID id = UUID.randomUUID();
    write(PresenceEvent.online(id, "s1", FACTS, "1"));

    // WHEN its session goes offline
    write(PresenceEvent.offline(id, "s1"));

    // THEN it is offline
    assertThat(agent(id).getBoolean("online")).isFalse();
  }

  /** In one batch connects apply before disconnects: a stale offline cannot undo a connect beside it. */
  @Test
  void connectsBeforeDisconnectsInOneBatch() {
    // GIVEN an agent that reconnects (s2) and whose old session s1 closes, both in one batch; and one that leaves
    UUID moved = UUID.randomUUID();
    UUID left = UUID.randomUUID();
    write(PresenceEvent.online(moved, "s1", FACTS, "1"));

    // WHEN the batch holds the old offline before the new online, and a connect and disconnect of the same session
    write(PresenceEvent.offline(moved, "s1"), PresenceEvent.online(moved, "s2", FACTS, "1"),
        PresenceEvent.online(left, "x", FACTS, "1"), PresenceEvent.offline(left, "x"));

    // THEN the reconnected agent is online and the one whose session ended is offline
    assertThat(agent(moved).getBoolean("online")).isTrue();
    assertThat(agent(moved).getString("session_id")).isEqualTo("s2");
    assertThat(agent(left).getBoolean("online")).isFalse();
  }

  /** Addresses that do not parse are dropped, so that one agent's odd facts cannot fail everyone's batch. */
  @Test
  void badAddressesDoNotFailTheBatch() {
    // GIVEN an agent with unparseable, ambiguous and out-of-range addresses, next to a normal agent
    UUID odd = UUID.randomUUID();
    UUID normal = UUID.randomUUID();
    Facts bad = new Facts("odd\u0000host", "linux", "amd64",
        List.of("10.0.0.1", "not-an-ip", "999.1.1.1", "::ffff:01.2.3.4", "00000::1", "1.2.3.4:80", ""),
        List.of(), List.of("10.0.0.0/33", "10.9.0.1/16", "::ffff:01.2.3.4/120", "10.0.0.0/+8", "nope/8", "10.8.0.0/\u0668"),
        List.of("ok", "", " ", "x".repeat(200), "nul\u0000tag"), List.of());

    // WHEN both connect in one batch
    write(PresenceEvent.online(odd, "s", bad, "v\u0000"), PresenceEvent.online(normal, "s", FACTS, "1"));

    // THEN both rows are written; only valid addresses and usable tags were kept, NULs replaced
    Row r = agent(odd);
    assertThat(r.getBoolean("online")).isTrue();
    assertThat(r.getString("hostname")).isEqualTo("odd\uFFFDhost");
    assertThat(Arrays.asList(r.getArrayOfStrings("ips"))).containsExactly("10.0.0.1/32");
    assertThat(Arrays.asList(r.getArrayOfStrings("subnets"))).containsExactly("10.9.0.0/16");
    assertThat(Arrays.asList(r.getArrayOfStrings("reported_tags"))).containsExactlyInAnyOrder("ok", "nul\uFFFDtag");
    assertThat(agent(normal).getBoolean("online")).isTrue();
  }

  /** A facts change updates the facts without counting as a new connection. */
  @Test
  void factsUpdateWithoutReconnect() {
    // GIVEN an online agent
    UUID id = UUID.randomUUID();
    java.time.Instant hello = java.time.Instant.now();
    write(PresenceEvent.online(id, "s1", FACTS, "1", hello));
    Row before = agent(id);
    cameOnline.clear();

    // WHEN its facts change
    Facts moved = new Facts("pc-1", "linux", "amd64", List.of("10.1.0.9"), List.of(), List.of("10.1.0.0/16"), List.of(),
        List.of());
    write(PresenceEvent.facts(id, "s1", moved, "1", hello));

    // THEN addresses follow, the connect time stays, and nobody "came online"
    Row after = agent(id);
    assertThat(Arrays.asList(after.getArrayOfStrings("ips"))).containsExactly("10.1.0.9/32");
    assertThat(after.getOffsetDateTime("connected_at")).isEqualTo(before.getOffsetDateTime("connected_at"));
    assertThat(cameOnline).noneSatisfy(s -> assertThat(s).contains(id));
  }

  /**
   * A revoked agent's row is not brought back online, and the trusted (enrollment) tags are never
   * extended by what the agent reports about itself (issue 11 #10): those go to reported_tags.
   */
  @Test
  void revokedStaysOfflineAndReportedTagsStayApart() {
    // GIVEN an enrolled agent with enrollment tags, and a revoked one
    UUID tagged = UUID.randomUUID();
    UUID revoked = UUID.randomUUID();
    db.query("INSERT INTO agents (id, enrollment_tags, tags) VALUES ($1, '{site-a}', '{site-a}')", tagged);
    db.query("INSERT INTO agents (id, revoked_at) VALUES ($1, now())", revoked);

    // WHEN both connect
    write(PresenceEvent.online(tagged, "s", FACTS, "1"), PresenceEvent.online(revoked, "s", FACTS, "1"));

    // THEN the trusted tags are the enrollment tags alone, the reported ones are kept apart, and the revoked one is still offline
    assertThat(Arrays.asList(agent(tagged).getArrayOfStrings("tags"))).containsExactly("site-a");
    assertThat(Arrays.asList(agent(tagged).getArrayOfStrings("reported_tags"))).containsExactly("branch", "kiosk");
    assertThat(agent(revoked).getBoolean("online")).isFalse();
  }

  /**
   * Issue 11 #16: lastSeen of a connected agent moves with what its node last heard (not frozen at
   * the connect time), only for the session that is connected, and never backwards.
   */
  @Test
  void touchMovesLastSeenOfTheConnectedSession() {
    // GIVEN an agent connected an hour ago (per its row)
    UUID id = UUID.randomUUID();
    write(PresenceEvent.online(id, "s1", FACTS, "1"));
    db.query("UPDATE agents SET last_seen = now() - interval '1 hour' WHERE id = $1", id);
    java.time.Instant heard = java.time.Instant.now().minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

    // WHEN its node reports it heard the session, and a stale report names an old session or an older time
    int changed = await(store.touch(List.of(new PresenceStore.Seen(id, "s1", heard),
        new PresenceStore.Seen(UUID.randomUUID(), "s9", heard))));
    await(store.touch(List.of(new PresenceStore.Seen(id, "s0", java.time.Instant.now()))));
    await(store.touch(List.of(new PresenceStore.Seen(id, "s1", heard.minusSeconds(60)))));

    // THEN lastSeen is the heard time of the current session
    assertThat(changed).isEqualTo(1);
    assertThat(agent(id).getOffsetDateTime("last_seen").toInstant()).isEqualTo(heard);
  }
}
