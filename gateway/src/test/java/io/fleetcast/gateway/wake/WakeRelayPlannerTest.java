package io.fleetcast.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.location.InMemoryAgentLocations;
import io.fleetcast.common.location.Location;
import io.fleetcast.common.wake.InMemoryRelayIndex;
import io.fleetcast.common.wake.RelayIndex.Entry;
import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.gateway.wake.WakePlan.Outcome;
import io.fleetcast.gateway.wake.WakePlan.Reason;
import io.fleetcast.gateway.wake.WakePlan.RelayJob;
import io.fleetcast.protocol.wake.MacAddress;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Relay selection without sockets or a database: in-memory relay index and location registry. */
@Timeout(10)
class WakeRelayPlannerTest {
  static final Subnet A = Subnet.parse("10.1.1.0/24");
  static final Subnet B = Subnet.parse("10.1.2.0/24");
  static final Subnet C = Subnet.parse("10.1.3.0/24");
  static final Subnet D = Subnet.parse("192.0.2.0/24");

  InMemoryRelayIndex index;
  InMemoryAgentLocations locations;
  Map<String, String> names;
  String a1, a2, a3, aOffline, b1, ab;

  @BeforeEach
  void fleet() {
    index = new InMemoryRelayIndex();
    locations = new InMemoryAgentLocations();
    names = new HashMap<>();
    // GIVEN three online relays in A, one in B, one in both A and B, and a stale entry of an offline agent in A
    a1 = relay("a1", "02:00:00:00:0a:01", true, A);
    a2 = relay("a2", "02:00:00:00:0a:02", true, A);
    a3 = relay("a3", "02:00:00:00:0a:03", true, A);
    aOffline = relay("a-offline", "02:00:00:00:0a:04", false, A);
    b1 = relay("b1", "02:00:00:00:0b:01", true, B);
    ab = relay("ab", "02:00:00:00:ab:01", true, A, B);
  }

  String relay(String name, String mac, boolean online, Subnet... subnets) {
    String id = UUID.randomUUID().toString();
    names.put(id, name);
    List<Entry> entries = new ArrayList<>();
    for (Subnet s : subnets) {
      entries.add(new Entry(id, s.toString(), "node-1", "session-" + name, List.of(mac)));
    }
    index.putAll(entries);
    if (online) {
      locations.put(id, new Location("node-1", "session-" + name));
    }
    return id;
  }

  RelayPlanner planner(int k, DirectRoutes routes) {
    return new RelayPlanner(index, locations, routes, k, 40009, WakeSettings.BROADCAST_SUBNET, new Random(7));
  }

  static WakeTarget agentIn(String mac, Subnet... subnets) {
    return WakeTarget.agent(UUID.randomUUID().toString(), List.of(MacAddress.parse(mac)), List.of(subnets));
  }

  static DirectRoutes routeD() {
    return DirectRoutes.parse(new JsonObject().put(D.toString(), new JsonObject().put("127.0.0.1", 40010)), 9);
  }

  /** Only agents in the target's subnet are asked, at most K of them, never an offline one or the target itself. */
  @Test
  void asksAtMostKOnlineRelaysOfTheTargetsOwnSubnet() {
    // GIVEN targets in A, in B, in C (nobody there), in D (direct route) and a raw MAC in A that is relay a1's
    WakeTarget inA = agentIn("02:00:00:00:01:01", A);
    WakeTarget inB = agentIn("02:00:00:00:01:02", B);
    WakeTarget inC = agentIn("02:00:00:00:01:03", C);
    WakeTarget inD = agentIn("02:00:00:00:01:04", D);
    WakeTarget a1sMac = WakeTarget.mac(MacAddress.parse("02:00:00:00:0a:01"), List.of(A));
    // WHEN planned with K = 2
    WakePlan plan = planner(2, routeD()).plan(List.of(inA, inB, inC, inD, a1sMac), false).await();
    Map<WakeTarget, Outcome> out = plan.outcomes().stream().collect(Collectors.toMap(Outcome::target, o -> o));
    // THEN the target in A gets two relays of A, none of them offline
    assertThat(out.get(inA).relays()).hasSize(2).isSubsetOf(Set.of(a1, a2, a3, ab)).doesNotContain(aOffline);
    // AND the target in B gets the only two agents that are in B
    assertThat(out.get(inB).relays()).containsExactlyInAnyOrder(b1, ab);
    // AND the target in C has neither relay nor route
    assertThat(out.get(inC).reason()).isEqualTo(Reason.no_relay_or_route);
    assertThat(out.get(inC).detail()).contains(C.toString());
    // AND the target in D goes the direct way, to the configured loopback destination only
    assertThat(out.get(inD).relays()).isEmpty();
    assertThat(out.get(inD).directDestinations()).isEqualTo(1);
    assertThat(plan.directJobs()).singleElement().satisfies(j -> {
      assertThat(j.address()).isEqualTo("127.0.0.1");
      assertThat(j.port()).isEqualTo(40010);
      assertThat(j.mac()).isEqualTo(inD.macs().get(0));
    });
    // AND a relay is never asked to wake its own MAC
    assertThat(out.get(a1sMac).relays()).hasSize(2).doesNotContain(a1);
    // AND every relay job names a relay of the job's subnet, the subnet's broadcast address and the configured port
    Map<String, Set<String>> relaysOf = Map.of(A.toString(), Set.of(a1, a2, a3, ab), B.toString(), Set.of(b1, ab));
    for (RelayJob j : plan.relayJobs()) {
      assertThat(relaysOf.get(j.subnet())).contains(j.relayAgentId());
      assertThat(j.broadcast()).isEqualTo(Subnet.parse(j.subnet()).broadcast());
      assertThat(j.port()).isEqualTo(40009);
    }
    assertThat(plan.relayJobs().stream().map(RelayJob::relayAgentId)).doesNotContain(aOffline);
  }

  /** Many targets in one subnet are spread over its relays, each still getting K distinct ones. */
  @Test
  void spreadsManyTargetsOverTheSubnetsRelays() {
    List<WakeTarget> targets = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      targets.add(agentIn(String.format("02:00:00:00:10:%02x", i), A));
    }
    WakePlan plan = planner(2, DirectRoutes.NONE).plan(targets, false).await();
    Map<String, Integer> load = new HashMap<>();
    for (Outcome o : plan.outcomes()) {
      assertThat(o.relays()).hasSize(2).isSubsetOf(Set.of(a1, a2, a3, ab));
      o.relays().forEach(r -> load.merge(r, 1, Integer::sum));
    }
    // 80 relay requests over 4 online relays: 20 each
    assertThat(load).hasSize(4);
    assertThat(load.values()).allSatisfy(n -> assertThat(n).isEqualTo(20));
  }

  /** K = 1 asks one relay; K larger than the subnet's online agents asks all of them. */
  @Test
  void relaysPerTargetIsAnUpperBound() {
    WakeTarget inA = agentIn("02:00:00:00:01:01", A);
    assertThat(planner(1, DirectRoutes.NONE).plan(List.of(inA), false).await().outcomes().get(0).relays()).hasSize(1);
    assertThat(planner(10, DirectRoutes.NONE).plan(List.of(inA), false).await().outcomes().get(0).relays())
        .containsExactlyInAnyOrder(a1, a2, a3, ab);
  }

  /** A relay that went offline after publishing is skipped; with no other relay the subnet falls back to its route. */
  @Test
  void offlineRelayIsSkippedAndTheRouteIsTheFallback() {
    locations.removeIfMatches(b1, new Location("node-1", "session-b1"));
    locations.removeIfMatches(ab, new Location("node-1", "session-ab"));
    DirectRoutes routeB = DirectRoutes.parse(new JsonObject().put("10.1.0.0/16", "127.0.0.1"), 40011);
    WakeTarget inB = agentIn("02:00:00:00:01:02", B);
    WakePlan plan = planner(2, routeB).plan(List.of(inB), false).await();
    assertThat(plan.relayJobs()).isEmpty();
    assertThat(plan.directJobs()).singleElement().satisfies(j -> {
      assertThat(j.address()).isEqualTo("127.0.0.1");
      assertThat(j.port()).isEqualTo(40011);
    });
  }

  /** Connected agents, agents without MAC or subnet, and SecureOn without a route are reported, not sent. */
  @Test
  void reportsWhyATargetCannotBeWoken() {
    WakeTarget online = WakeTarget.agent(a2, List.of(MacAddress.parse("02:00:00:00:0a:02")), List.of(A));
    WakeTarget noMac = WakeTarget.agent(UUID.randomUUID().toString(), List.of(), List.of(A));
    WakeTarget noSubnet = WakeTarget.mac(MacAddress.parse("02:00:00:00:01:09"), List.of());
    WakeTarget inA = agentIn("02:00:00:00:01:01", A);
    WakeTarget inD = agentIn("02:00:00:00:01:04", D);
    WakePlan plan = planner(2, routeD()).plan(List.of(online, noMac, noSubnet, inA, inD), true).await();
    Map<WakeTarget, Outcome> out = plan.outcomes().stream().collect(Collectors.toMap(Outcome::target, o -> o));
    assertThat(out.get(online).online()).isTrue();
    assertThat(out.get(noMac).reason()).isEqualTo(Reason.no_mac);
    assertThat(out.get(noSubnet).reason()).isEqualTo(Reason.no_subnet);
    // with a SecureOn password relays are not used: A has no route, D has one
    assertThat(out.get(inA).reason()).isEqualTo(Reason.needs_direct_route);
    assertThat(out.get(inD).direct()).isTrue();
    assertThat(plan.relayJobs()).isEmpty();
  }

  /**
   * Issue 11 #16: when the only online agent of the target's subnet reports the target's MAC (the
   * target machine itself under another id, or a clone), the message says so instead of blaming
   * "no online agent in the subnet"; a subnet with really nobody still says that.
   */
  @Test
  void saysWhenTheOnlyCandidateSharesTheTargetsMac() {
    Subnet e = Subnet.parse("10.1.5.0/24");
    String twin = relay("twin", "02:00:00:00:0e:01", true, e);
    WakeTarget target = agentIn("02:00:00:00:0e:01", e);
    WakeTarget alone = agentIn("02:00:00:00:01:03", C);
    WakePlan plan = planner(2, DirectRoutes.NONE).plan(List.of(target, alone), false).await();
    Map<WakeTarget, Outcome> out = plan.outcomes().stream().collect(Collectors.toMap(Outcome::target, o -> o));
    assertThat(out.get(target).reason()).isEqualTo(Reason.no_relay_or_route);
    assertThat(out.get(target).detail()).contains(twin).contains("report the target's MAC")
        .doesNotContain("no online agent");
    assertThat(out.get(alone).detail()).startsWith("no online agent in " + C);
    assertThat(plan.relayJobs()).isEmpty();
  }
}
