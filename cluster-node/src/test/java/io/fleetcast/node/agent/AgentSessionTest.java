package io.fleetcast.node.agent;

import static io.fleetcast.node.agent.SessionFixture.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.location.Location;
import io.fleetcast.common.metrics.MetricNames;
import io.fleetcast.node.store.PresenceEvent;
import io.fleetcast.node.store.ResultRow;
import io.fleetcast.node.store.StoreOutcome;
import io.fleetcast.node.store.TargetStateStore.StateChange;
import io.fleetcast.protocol.AgentMessage;
import io.fleetcast.protocol.CloseCodes;
import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The agent channel protocol of one connection, over a fake socket and in-memory stores. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class AgentSessionTest {
  private static final Facts FACTS = new Facts("pc-1", "linux", "amd64", List.of("10.0.0.7"), List.of(),
      List.of("10.0.0.0/24"), List.of("kiosk"), List.of());

  private String agentId;
  private FakeConnection conn;

  @BeforeEach
  void setUp() {
    agentId = UUID.randomUUID().toString();
    conn = new FakeConnection();
  }

  private static String hello(String agentId) {
    return new AgentMessage.Hello(agentId, "1.0", FACTS).encode();
  }

  private static String result(UUID taskId, TaskStatus status) {
    return new AgentMessage.Result(taskId.toString(), status, 0, "done", Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:00:01Z")).encode();
  }

  private static String result(String taskId) {
    return new AgentMessage.Result(taskId, TaskStatus.SUCCEEDED, 0, "", null, null).encode();
  }

  /** Any message before hello closes the connection with 1008 and is counted; nothing is registered. */
  @Test
  void helloMustBeFirst(Vertx vertx) {
    // GIVEN a fresh authenticated connection
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);

    // WHEN its first frame is an ack
    s.onText(new AgentMessage.Ack(UUID.randomUUID().toString()).encode());

    // THEN it is closed with 1008, counted as an unexpected message, and never became a session
    assertThat(conn.closeCode).isEqualTo(CloseCodes.POLICY_VIOLATION);
    assertThat(f.count(MetricNames.FRAMES_REJECTED, "reason", "unexpected_message")).isEqualTo(1);
    assertThat(s.active()).isFalse();
    assertThat(f.sessions.size()).isZero();
    assertThat(conn.sent).isEmpty();
  }

  /** An unknown type before hello is not hello either: 1008. */
  @Test
  void unknownTypeBeforeHelloCloses(Vertx vertx) {
    // GIVEN a fresh connection
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);

    // WHEN its first frame has an unknown type
    s.onText("{\"type\":\"telemetry\"}");

    // THEN it is closed with 1008
    assertThat(conn.closeCode).isEqualTo(CloseCodes.POLICY_VIOLATION);
  }

  /** A hello naming another agent than the credential closes with 1008. */
  @Test
  void helloWithAnotherAgentIdCloses(Vertx vertx) {
    // GIVEN a connection authenticated as one agent
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);

    // WHEN it says hello as another agent
    s.onText(hello(UUID.randomUUID().toString()));

    // THEN it is closed with 1008 as an invalid field, and nothing is registered
    assertThat(conn.closeCode).isEqualTo(CloseCodes.POLICY_VIOLATION);
    assertThat(f.count(MetricNames.FRAMES_REJECTED, "reason", "invalid_field")).isEqualTo(1);
    assertThat(f.sessions.size()).isZero();
    assertThat(conn.messages(NodeMessage.Welcome.class)).isEmpty();
  }

  /** Invalid JSON closes with 1007. */
  @Test
  void invalidJsonCloses(Vertx vertx) {
    // GIVEN a fresh connection
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);

    // WHEN it sends something that is not JSON
    s.onText("{\"type\":\"hello\",");

    // THEN it is closed with 1007
    assertThat(conn.closeCode).isEqualTo(CloseCodes.INVALID_PAYLOAD);
    assertThat(f.count(MetricNames.FRAMES_REJECTED, "reason", "invalid_json")).isEqualTo(1);
  }

  /** hello is answered with welcome (node id, heartbeat), registers the session and location, and reports it online. */
  @Test
  void helloIsWelcomed(Vertx vertx) throws Exception {
    // GIVEN a fresh connection
    SessionFixture f = new SessionFixture(vertx);
    AtomicInteger helloDone = new AtomicInteger();
    AgentSession s = new AgentSession(agentId, conn, f.services, helloDone::incrementAndGet);

    // WHEN the agent says hello
    s.onText(hello(agentId));

    // THEN it gets welcome, is registered here and in the location map, and goes online with its facts
    List<NodeMessage.Welcome> welcomes = conn.messages(NodeMessage.Welcome.class);
    assertThat(welcomes).hasSize(1);
    assertThat(welcomes.get(0).nodeId()).isEqualTo(SessionFixture.NODE);
    assertThat(welcomes.get(0).heartbeatSeconds()).isEqualTo(SessionFixture.HEARTBEAT);
    assertThat(welcomes.get(0).serverTime()).isNotNull();
    assertThat(s.active()).isTrue();
    assertThat(s.relayFacts().subnets()).isEqualTo(FACTS.subnets());
    assertThat(s.relayFacts().macs()).isEqualTo(FACTS.macs());
    assertThat(helloDone.get()).isEqualTo(1);
    assertThat(f.sessions.get(agentId)).isSameAs(s);
    assertThat(f.locations.get(agentId).result()).contains(new Location(SessionFixture.NODE, s.sessionId()));
    assertThat(f.count(MetricNames.AGENT_CONNECTS)).isEqualTo(1);
    waitUntil(() -> f.presence.size() == 1);
    PresenceEvent online = f.presence.get(0);
    assertThat(online.kind()).isEqualTo(PresenceEvent.Kind.ONLINE);
    assertThat(online.agentId()).isEqualTo(UUID.fromString(agentId));
    assertThat(online.sessionId()).isEqualTo(s.sessionId());
    assertThat(online.facts()).isEqualTo(FACTS);
    assertThat(online.version()).isEqualTo("1.0");
    assertThat(conn.closeCode).isNull();
  }

  /** A second hello on the same connection closes it with 1008. */
  @Test
  void helloTwiceCloses(Vertx vertx) {
    // GIVEN an active session
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);
    s.onText(hello(agentId));

    // WHEN hello comes again
    s.onText(hello(agentId));

    // THEN the connection is closed with 1008
    assertThat(conn.closeCode).isEqualTo(CloseCodes.POLICY_VIOLATION);
  }

  /** A second local connection of the same agent replaces the first, which is closed with 4000 and counted. */
  @Test
  void newerLocalSessionSupersedesOlder(Vertx vertx) throws Exception {
    // GIVEN an agent connected to this node
    SessionFixture f = new SessionFixture(vertx);
    AgentSession older = f.session(agentId, conn);
    older.onText(hello(agentId));
    FakeConnection newerConn = new FakeConnection();
    AgentSession newer = f.session(agentId, newerConn);

    // WHEN the same agent connects again, and the older socket's close completes afterwards
    newer.onText(hello(agentId));
    older.onClosed();

    // THEN the older one was closed with 4000, counted as duplicate, and the newer one stays registered and located
    assertThat(conn.closeCode).isEqualTo(CloseCodes.SUPERSEDED);
    assertThat(newerConn.closeCode).isNull();
    assertThat(f.count(MetricNames.DUPLICATE_SESSIONS)).isEqualTo(1);
    assertThat(f.count(MetricNames.AGENT_DISCONNECTS, "reason", "superseded")).isEqualTo(1);
    assertThat(f.sessions.get(agentId)).isSameAs(newer);
    assertThat(f.locations.get(agentId).result()).contains(newer.location());
    assertThat(f.superseded).isEmpty();
  }

  /** When the agent's previous location is on another node, that node is asked to close it, and it is counted. */
  @Test
  void olderSessionOnAnotherNodeIsSuperseded(Vertx vertx) {
    // GIVEN the location map says the agent is connected to node B
    SessionFixture f = new SessionFixture(vertx);
    Location onB = new Location("node-b", "s-old");
    f.locations.put(agentId, onB);

    // WHEN it says hello here
    f.session(agentId, conn).onText(hello(agentId));

    // THEN node B is asked to drop its session
    assertThat(f.superseded).containsExactly(onB);
    assertThat(f.count(MetricNames.DUPLICATE_SESSIONS)).isEqualTo(1);
  }

  /** A stored result is acknowledged with a plain resultAck, only after the store answered. */
  @Test
  void storedResultIsAcked(Vertx vertx) throws Exception {
    // GIVEN an active session
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);
    s.onText(hello(agentId));
    UUID task = UUID.randomUUID();

    // WHEN it sends a result
    s.onText(result(task, TaskStatus.FAILED));

    // THEN the row reaches the store as sent and the ack says stored
    waitUntil(() -> !conn.messages(NodeMessage.ResultAck.class).isEmpty());
    ResultRow row = f.resultRows.get(0);
    assertThat(row.taskId()).isEqualTo(task);
    assertThat(row.agentId()).isEqualTo(UUID.fromString(agentId));
    assertThat(row.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(row.exitCode()).isZero();
    assertThat(row.output()).isEqualTo("done");
    assertThat(row.finishedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
    assertThat(conn.messages(NodeMessage.ResultAck.class)).containsExactly(new NodeMessage.ResultAck(task.toString()));
    assertThat(f.count(MetricNames.RESULTS_STORED, "outcome", "stored")).isEqualTo(1);
  }

  /** No ack is sent before the store confirms the write. */
  @Test
  void noAckBeforeCommit(Vertx vertx) throws Exception {
    // GIVEN a store that has not answered yet (one row per write, two writes at once)
    BlockingQueue<Promise<List<StoreOutcome>>> pending = new LinkedBlockingQueue<>();
    SessionFixture f = new SessionFixture(vertx, 1, 2, 10_000, rows -> {
      Promise<List<StoreOutcome>> p = Promise.promise();
      pending.add(p);
      return p.future();
    });
    AgentSession s = f.session(agentId, conn);
    s.onText(hello(agentId));
    UUID task = UUID.randomUUID();
    UUID marker = UUID.randomUUID();

    // WHEN a result arrives and its write is still open, and a later result's write commits
    s.onText(result(task, TaskStatus.SUCCEEDED));
    Promise<List<StoreOutcome>> write = pending.poll(30, TimeUnit.SECONDS);
    s.onText(result(marker, TaskStatus.SUCCEEDED));
    pending.poll(30, TimeUnit.SECONDS).complete(List.of(StoreOutcome.STORED));

    // THEN the later result is acknowledged (acks flow), but not the one whose write is open
    waitUntil(() -> acked(marker));
    assertThat(acked(task)).as("acked before its commit").isFalse();

    // AND once its write commits, it is acknowledged too
    write.complete(List.of(StoreOutcome.STORED));
    waitUntil(() -> acked(task));
  }

  private boolean acked(UUID task) {
    return conn.messages(NodeMessage.ResultAck.class).stream().anyMatch(a -> a.taskId().equals(task.toString()));
  }

  /** A duplicate result (stored earlier) is acknowledged as stored, so that the agent forgets it. */
  @Test
  void duplicateResultIsAckedStored(Vertx vertx) throws Exception {
    // GIVEN a store that already holds the result
    SessionFixture f = new SessionFixture(vertx);
    UUID task = UUID.randomUUID();
    f.outcomes.put(task, StoreOutcome.DUPLICATE);
    AgentSession s = f.session(agentId, conn);
    s.onText(hello(agentId));

    // WHEN the agent re-sends it
    s.onText(result(task, TaskStatus.SUCCEEDED));

    // THEN the ack says stored and the duplicate is counted
    waitUntil(() -> !conn.messages(NodeMessage.ResultAck.class).isEmpty());
    NodeMessage.ResultAck ack = conn.messages(NodeMessage.ResultAck.class).get(0);
    assertThat(ack.taskId()).isEqualTo(task.toString());
    assertThat(ack.stored()).isTrue();
    assertThat(f.count(MetricNames.RESULTS_STORED, "outcome", "duplicate")).isEqualTo(1);
  }

  /** A result the store rejects (task not sent to this agent) is acknowledged with stored=false and a reason. */
  @Test
  void rejectedResultIsAckedNotStored(Vertx vertx) throws Exception {
    // GIVEN a store that rejects the task
    SessionFixture f = new SessionFixture(vertx);
    UUID task = UUID.randomUUID();
    f.outcomes.put(task, StoreOutcome.REJECTED);
    AgentSession s = f.session(agentId, conn);
    s.onText(hello(agentId));

    // WHEN the agent sends a result for it
    s.onText(result(task, TaskStatus.SUCCEEDED));

    // THEN the ack says not stored, with an error, and the connection stays open
    waitUntil(() -> !conn.messages(NodeMessage.ResultAck.class).isEmpty());
    NodeMessage.ResultAck ack = conn.messages(NodeMessage.ResultAck.class).get(0);
    assertThat(ack.stored()).isFalse();
    assertThat(ack.error()).isNotBlank();
    assertThat(conn.closeCode).isNull();
    assertThat(f.count(MetricNames.RESULTS_STORED, "outcome", "rejected")).isEqualTo(1);
  }

  /** A result whose taskId is not a UUID is refused at once with stored=false, without touching the store. */
  @Test
  void nonUuidTaskIdIsRefusedWithoutStore(Vertx vertx) throws Exception {
    // GIVEN an active session
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);
    s.onText(hello(agentId));
    UUID good = UUID.randomUUID();

    // WHEN it sends a result for a task id that is no UUID, then a good one
    s.onText(result("not-a-task-id"));
    s.onText(result(good, TaskStatus.SUCCEEDED));

    // THEN the first is refused without reaching the store; only the good one was written
    waitUntil(() -> conn.messages(NodeMessage.ResultAck.class).size() == 2);
    List<NodeMessage.ResultAck> acks = conn.messages(NodeMessage.ResultAck.class);
    assertThat(acks.get(0).taskId()).isEqualTo("not-a-task-id");
    assertThat(acks.get(0).stored()).isFalse();
    assertThat(acks.get(1)).isEqualTo(new NodeMessage.ResultAck(good.toString()));
    assertThat(f.resultRows).extracting(ResultRow::taskId).containsExactly(good);
    assertThat(conn.closeCode).isNull();
  }

  /** When results back up, the session stops reading the socket and resumes once the queue drained. */
  @Test
  void overloadPausesAndResumesReading(Vertx vertx) throws Exception {
    // GIVEN one result write in flight that the database holds, and a high-water mark of 4
    BlockingQueue<Promise<List<StoreOutcome>>> pending = new LinkedBlockingQueue<>();
    SessionFixture f = new SessionFixture(vertx, 1, 1, 4, rows -> {
      Promise<List<StoreOutcome>> p = Promise.promise();
      pending.add(p);
      return p.future();
    });
    AgentSession s = f.session(agentId, conn);
    s.onText(hello(agentId));
    s.onText(result(UUID.randomUUID(), TaskStatus.SUCCEEDED));
    Promise<List<StoreOutcome>> first = pending.poll(5, TimeUnit.SECONDS);

    // WHEN four more results arrive behind it
    for (int i = 0; i < 3; i++) {
      s.onText(result(UUID.randomUUID(), TaskStatus.SUCCEEDED));
    }
    List<Boolean> beforeHighWater = List.copyOf(conn.reading);
    s.onText(result(UUID.randomUUID(), TaskStatus.SUCCEEDED));

    // THEN reading stops at the high-water mark, and resumes only when the queue is under half of it
    assertThat(beforeHighWater).isEmpty();
    assertThat(conn.reading).containsExactly(false);
    first.complete(List.of(StoreOutcome.STORED));
    Promise<List<StoreOutcome>> second = pending.poll(5, TimeUnit.SECONDS);
    second.complete(List.of(StoreOutcome.STORED));
    Promise<List<StoreOutcome>> third = pending.poll(5, TimeUnit.SECONDS);
    List<Boolean> withTwoQueued = List.copyOf(conn.reading);
    third.complete(List.of(StoreOutcome.STORED));
    Promise<List<StoreOutcome>> fourth = pending.poll(5, TimeUnit.SECONDS);
    waitUntil(() -> conn.reading.size() == 2);
    assertThat(withTwoQueued).containsExactly(false);
    assertThat(conn.reading).containsExactly(false, true);
    assertThat(f.results.queued()).isLessThan(4 / 2);
    fourth.complete(List.of(StoreOutcome.STORED));
    pending.poll(5, TimeUnit.SECONDS).complete(List.of(StoreOutcome.STORED));
    waitUntil(() -> conn.messages(NodeMessage.ResultAck.class).size() == 5);
  }

  /** Closing removes the session, its location and marks it offline. */
  @Test
  void closeForgetsTheSession(Vertx vertx) throws Exception {
    // GIVEN an active session
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);
    s.onText(hello(agentId));

    // WHEN its socket closes
    s.onClosed();

    // THEN it is unregistered, unlocated, reported offline for that session and counted
    assertThat(f.sessions.get(agentId)).isNull();
    assertThat(f.locations.get(agentId).result()).isEmpty();
    waitUntil(() -> f.presence.size() == 2);
    assertThat(f.presence.get(1)).isEqualTo(PresenceEvent.offline(UUID.fromString(agentId), s.sessionId()));
    assertThat(f.count(MetricNames.AGENT_DISCONNECTS, "reason", "closed")).isEqualTo(1);
  }

  /** A late close of this session leaves a location that now names another node's connection. */
  @Test
  void closeKeepsANewerLocationElsewhere(Vertx vertx) {
    // GIVEN an active session here, after which the agent reconnected to node B
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);
    s.onText(hello(agentId));
    Location onB = new Location("node-b", UUID.randomUUID().toString());
    f.locations.put(agentId, onB);

    // WHEN this session's close is processed late
    s.onClosed();

    // THEN the location still points at node B
    assertThat(f.locations.get(agentId).result()).isEqualTo(Optional.of(onB));
  }

  /** A connection closed before hello leaves no trace. */
  @Test
  void closeBeforeHelloLeavesNoTrace(Vertx vertx) throws Exception {
    // GIVEN a connection that never said hello
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);

    // WHEN it closes, and then another agent connects and closes (the marker: its presence
    // events queue behind anything the first close would have written)
    s.onClosed();
    String other = UUID.randomUUID().toString();
    AgentSession marker = f.session(other, new FakeConnection());
    marker.onText(hello(other));
    marker.onClosed();
    waitUntil(() -> f.presence.size() >= 2);

    // THEN only the marker's online and offline were written and counted
    assertThat(f.presence).extracting(e -> e.agentId().toString()).containsOnly(other);
    assertThat(f.presence).hasSize(2);
    assertThat(f.count(MetricNames.AGENT_DISCONNECTS, "reason", "closed")).isEqualTo(1);
  }

  /** An unknown message type after hello is counted and ignored; the connection keeps working. */
  @Test
  void unknownTypeIsCountedNotClosed(Vertx vertx) throws Exception {
    // GIVEN an active session
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);
    s.onText(hello(agentId));

    // WHEN a message of a future type arrives, then an ack
    s.onText("{\"type\":\"telemetry\",\"cpu\":0.3}");
    UUID task = UUID.randomUUID();
    s.onText(new AgentMessage.Ack(task.toString()).encode());

    // THEN the connection is open, the unknown type is counted, and the ack is processed
    assertThat(conn.closeCode).isNull();
    assertThat(f.count(MetricNames.MESSAGES_IN, "type", "unknown")).isEqualTo(1);
    waitUntil(() -> f.states.size() == 1);
    assertThat(f.states.get(0)).isEqualTo(new StateChange(task, UUID.fromString(agentId), false));
  }

  /** ack and progress become state changes (acked, running); facts and wakeDone are passed on. */
  @Test
  void otherMessagesArePassedOn(Vertx vertx) throws Exception {
    // GIVEN an active session
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);
    s.onText(hello(agentId));
    UUID task = UUID.randomUUID();
    Facts changed = new Facts("pc-1", "linux", "amd64", List.of("10.0.0.8"), List.of(), List.of(), List.of(), List.of());

    // WHEN it sends progress, new facts and a wake report
    s.onText(new AgentMessage.Progress(task.toString(), 50, "half").encode());
    s.onText(new AgentMessage.FactsChanged(changed).encode());
    s.onText(new AgentMessage.WakeDone("req-1", List.of("aa:bb:cc:dd:ee:ff"), List.of()).encode());

    // THEN each reaches its store or hook
    waitUntil(() -> f.states.size() == 1 && f.presence.size() == 2);
    assertThat(f.states.get(0).running()).isTrue();
    assertThat(f.presence.get(1).kind()).isEqualTo(PresenceEvent.Kind.FACTS);
    assertThat(f.presence.get(1).facts()).isEqualTo(changed);
    assertThat(s.relayFacts()).isSameAs(Facts.EMPTY); // the new facts name no subnet or MAC: nothing kept
    assertThat(f.wakeDones).extracting(AgentMessage.WakeDone::requestId).containsExactly("req-1");
  }

  /** Frames encoded once for many agents are delivered only to active, open sessions. */
  @Test
  void deliverOnlyWhenActive(Vertx vertx) {
    // GIVEN a session before and after hello
    SessionFixture f = new SessionFixture(vertx);
    AgentSession s = f.session(agentId, conn);
    EncodedFrame frame = new EncodedFrame(new NodeMessage.Cancel("t").encode());

    // WHEN a frame is delivered before hello, after hello, and after close
    boolean beforeHello = s.deliver(frame);
    s.onText(hello(agentId));
    boolean active = s.deliver(frame);
    conn.close(CloseCodes.NORMAL, "bye");
    boolean afterClose = s.deliver(frame);

    // THEN only the active, open session takes it
    assertThat(List.of(beforeHello, active, afterClose)).containsExactly(false, true, false);
    assertThat(conn.messages(NodeMessage.Cancel.class)).hasSize(1);
  }
}
