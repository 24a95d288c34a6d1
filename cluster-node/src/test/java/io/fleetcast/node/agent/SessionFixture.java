package io.fleetcast.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.location.InMemoryAgentLocations;
import io.fleetcast.common.location.Location;
import io.fleetcast.node.metrics.NodeMetrics;
import io.fleetcast.node.store.Batcher;
import io.fleetcast.node.store.PresenceEvent;
import io.fleetcast.node.store.ResultRow;
import io.fleetcast.node.store.StoreOutcome;
import io.fleetcast.node.store.TargetStateStore.StateChange;
import io.fleetcast.protocol.AgentMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Everything an {@link AgentSession} needs, in memory: batchers over recording writers, the
 * in-memory location registry, a session table, recording cluster hooks and real metrics.
 */
final class SessionFixture {
  static final String NODE = "node-a";
  static final int HEARTBEAT = 20;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final NodeMetrics metrics = new NodeMetrics(registry);
  final SessionTable sessions = new SessionTable();
  final InMemoryAgentLocations locations = new InMemoryAgentLocations();
  final List<PresenceEvent> presence = new CopyOnWriteArrayList<>();
  final List<StateChange> states = new CopyOnWriteArrayList<>();
  final List<ResultRow> resultRows = new CopyOnWriteArrayList<>();
  final Map<UUID, StoreOutcome> outcomes = new ConcurrentHashMap<>();
  final List<Location> superseded = new CopyOnWriteArrayList<>();
  final List<AgentMessage.WakeDone> wakeDones = new CopyOnWriteArrayList<>();
  final Batcher<ResultRow, StoreOutcome> results;
  final SessionServices services;

  /** Results are stored at once with the outcome set per task in {@link #outcomes} (default STORED). */
  SessionFixture(Vertx vertx) {
    this(vertx, 100, 1, 10_000, null);
  }

  /** Results go through a batcher with these limits and, when given, this writer. */
  SessionFixture(Vertx vertx, int maxRows, int maxInFlight, int highWater,
      Function<List<ResultRow>, Future<List<StoreOutcome>>> resultWriter) {
    Function<List<ResultRow>, Future<List<StoreOutcome>>> writer = resultWriter != null ? resultWriter : rows -> {
      resultRows.addAll(rows);
      return Future.succeededFuture(rows.stream().map(r -> outcomes.getOrDefault(r.taskId(), StoreOutcome.STORED)).toList());
    };
    results = new Batcher<>(vertx, "results", maxRows, 2, maxInFlight, highWater, writer);
    Batcher<PresenceEvent, Void> presenceBatcher = new Batcher<>(vertx, "presence", 100, 2, 1, Integer.MAX_VALUE,
        events -> {
          presence.addAll(events);
          return Future.succeededFuture(Collections.nCopies(events.size(), (Void) null));
        });
    Batcher<StateChange, Void> statesBatcher = new Batcher<>(vertx, "states", 100, 2, 1, Integer.MAX_VALUE, changes -> {
      states.addAll(changes);
      return Future.succeededFuture(Collections.nCopies(changes.size(), (Void) null));
    });
    ClusterHooks hooks = new ClusterHooks() {
      @Override
      public void supersedeRemote(String agentId, Location older) {
        superseded.add(older);
      }

      @Override
      public void wakeDone(String agentId, AgentMessage.WakeDone report) {
        wakeDones.add(report);
      }
    };
    services = new SessionServices(NODE, HEARTBEAT, sessions, locations, presenceBatcher, results, statesBatcher, hooks,
        metrics);
  }

  AgentSession session(String agentId, FakeConnection connection) {
    return new AgentSession(agentId, connection, services, () -> {});
  }

  double count(String meter, String tagKey, String tagValue) {
    Counter c = registry.find(meter).tag(tagKey, tagValue).counter();
    return c == null ? 0 : c.count();
  }

  double count(String meter) {
    Counter c = registry.find(meter).counter();
    return c == null ? 0 : c.count();
  }

  static void waitUntil(BooleanSupplier cond) throws InterruptedException {
    // generous: a loaded 2-core CI may take seconds to run a batch
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(end);
      Thread.sleep(5);
    }
  }
}
