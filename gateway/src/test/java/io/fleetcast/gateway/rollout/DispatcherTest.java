package io.fleetcast.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.location.InMemoryAgentLocations;
import io.fleetcast.common.location.Location;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.fleetcast.protocol.MessageType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Routing of one frame to many agents over a real (local) event bus, with nodes answering like NodeInbox. */
@Timeout(60)
class DispatcherTest {
  private Vertx vertx;
  private InMemoryAgentLocations locations;
  /** Every dispatch message each node received: the agent lists it carried. */
  private final Map<String, List<List<String>>> received = new ConcurrentHashMap<>();
  /** The fan-out part each message said it was, in arrival order per node. */
  private final Map<String, List<io.fleetcast.common.bus.FanOutPart>> parts = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    io.fleetcast.common.bus.BusCodecs.register(vertx);
    locations = new InMemoryAgentLocations();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** A node that holds {@code held} and answers which of the agents it was sent it does not hold. */
  private void node(String nodeId, Set<String> held) {
    vertx.eventBus().<io.fleetcast.common.bus.DispatchRequest>consumer(Addresses.dispatch(nodeId), m -> {
      List<String> agents = new ArrayList<>(m.body().agents());
      received.computeIfAbsent(nodeId, k -> new CopyOnWriteArrayList<>()).add(agents);
      parts.computeIfAbsent(nodeId, k -> new CopyOnWriteArrayList<>()).add(m.body().part());
      List<String> missing = agents.stream().filter(a -> !held.contains(a)).toList();
      m.reply(new io.fleetcast.common.bus.DispatchReply(agents.size() - missing.size(), missing));
    }).completion().await();
  }

  private static List<UUID> agents(int n) {
    List<UUID> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(UUID.randomUUID());
    }
    return out;
  }

  private static Set<String> text(List<UUID> ids) {
    Set<String> out = new java.util.HashSet<>();
    ids.forEach(i -> out.add(i.toString()));
    return out;
  }

  private Dispatcher dispatcher(Set<String> live) {
    return new Dispatcher(vertx, locations, new GatewayMetrics(new SimpleMeterRegistry()), 5000, 2000,
        () -> live);
  }

  /** A node's list split into chunks announces more until its last chunk, which carries the caller's part. */
  @Test
  void chunksAnnounceTheirSequel() {
    List<UUID> on1 = agents(12);
    node("n1", text(on1));
    Dispatcher small = new Dispatcher(vertx, locations, new GatewayMetrics(new SimpleMeterRegistry()), 5, 2000,
        () -> Set.of("n1"));

    small.sendVia(MessageType.TASK, "{}", Map.of("n1", on1), io.fleetcast.common.bus.FanOutPart.LAST).await();
    small.sendVia(MessageType.TASK, "{}", Map.of("n1", on1.subList(0, 3)),
        io.fleetcast.common.bus.FanOutPart.MORE_TO_COME).await();

    List<io.fleetcast.common.bus.FanOutPart> got = parts.get("n1");
    assertThat(got).hasSize(4);
    // the three chunks of the first send arrive in any order: exactly one is its last
    assertThat(got.subList(0, 3)).containsExactlyInAnyOrder(io.fleetcast.common.bus.FanOutPart.MORE_TO_COME,
        io.fleetcast.common.bus.FanOutPart.MORE_TO_COME, io.fleetcast.common.bus.FanOutPart.LAST);
    assertThat(got.get(3)).isEqualTo(io.fleetcast.common.bus.FanOutPart.MORE_TO_COME);
  }

  /** Targets on two nodes: each node gets exactly one message carrying all of its agents. */
  @Test
  void oneMessagePerNode() throws Exception {
    // GIVEN 30 agents on n1 and 20 on n2
    List<UUID> on1 = agents(30);
    List<UUID> on2 = agents(20);
    node("n1", text(on1));
    node("n2", text(on2));
    List<UUID> all = new ArrayList<>(on1);
    all.addAll(on2);
    on1.forEach(a -> locations.put(a.toString(), new Location("n1", "s")));
    on2.forEach(a -> locations.put(a.toString(), new Location("n2", "s")));

    // WHEN one frame goes to all of them, by location and by presence
    Dispatcher.Outcome byLocation = dispatcher(Set.of("n1", "n2")).send(MessageType.TASK, "{}", all)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Map<String, List<UUID>> byNode = new HashMap<>();
    byNode.put("n1", on1);
    byNode.put("n2", on2);
    Dispatcher.Outcome byPresence = dispatcher(Set.of("n1", "n2")).sendVia(MessageType.TASK, "{}", byNode)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    // THEN every agent was delivered, with one message per node per send
    assertThat(byLocation.delivered()).isEqualTo(50);
    assertThat(byPresence.delivered()).isEqualTo(50);
    assertThat(received.get("n1")).hasSize(2).allSatisfy(l -> assertThat(l).containsExactlyInAnyOrderElementsOf(text(on1)));
    assertThat(received.get("n2")).hasSize(2).allSatisfy(l -> assertThat(l).containsExactlyInAnyOrderElementsOf(text(on2)));
  }

  /**
   * A presence row naming a node that is no longer a member (a full restart, a node cut off) gets
   * no message to that node: the agent is routed by where it is connected now, or reported not connected.
   */
  @Test
  void aNodeThatIsNotAMemberGetsNoMessage() throws Exception {
    // GIVEN an agent whose presence still names the departed node "gone" but which reconnected to n1,
    // and one that is connected nowhere
    UUID moved = UUID.randomUUID();
    UUID nowhere = UUID.randomUUID();
    node("gone", Set.of(moved.toString(), nowhere.toString()));
    node("n1", Set.of(moved.toString()));
    locations.put(moved.toString(), new Location("n1", "s"));

    // WHEN the gateway dispatches by presence with only n1 live
    Dispatcher.Outcome out = dispatcher(Set.of("n1")).sendVia(MessageType.TASK, "{}",
        Map.of("gone", List.of(moved, nowhere))).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    // THEN the departed node got nothing, n1 delivered the moved agent, the other is not connected
    assertThat(received).doesNotContainKey("gone");
    assertThat(received.get("n1")).containsExactly(List.of(moved.toString()));
    assertThat(out.delivered()).isEqualTo(1);
    assertThat(out.notConnected()).containsExactly(nowhere);
    assertThat(out.unconfirmed()).isEmpty();
  }

  /** A location entry naming a node that is not a member is treated as not connected, not sent to. */
  @Test
  void aLocationOfADepartedNodeIsNotConnected() throws Exception {
    UUID agent = UUID.randomUUID();
    node("gone", Set.of(agent.toString()));
    locations.put(agent.toString(), new Location("gone", "s"));

    Dispatcher.Outcome out = dispatcher(Set.of("n1")).send(MessageType.TASK, "{}", List.of(agent))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(received).doesNotContainKey("gone");
    assertThat(out.notConnected()).containsExactly(agent);
  }
}
