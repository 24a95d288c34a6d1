package io.fleetcast.gateway.wake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.location.InMemoryAgentLocations;
import io.fleetcast.common.metrics.MetricNames;
import io.fleetcast.common.wake.InMemoryRelayIndex;
import io.fleetcast.protocol.net.Subnet;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.fleetcast.gateway.rollout.Dispatcher;
import io.fleetcast.protocol.wake.MacAddress;
import io.fleetcast.protocol.wake.MagicPacket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The direct path for real, but only ever to a UDP listener on 127.0.0.1 (the route's broadcast
 * address and port are configuration): packet bytes, SecureOn, repeats and pacing.
 */
@Timeout(30)
class WakeDirectSendTest {
  static final Subnet SUBNET = Subnet.parse("192.0.2.0/24");

  record Received(long nanos, byte[] bytes) {}

  Vertx vertx;
  DatagramSocket listener;
  int port;
  final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  SimpleMeterRegistry registry;

  @BeforeEach
  void listen() {
    vertx = Vertx.vertx();
    listener = vertx.createDatagramSocket();
    listener.handler(p -> received.add(new Received(System.nanoTime(), p.data().getBytes())));
    listener.listen(0, "127.0.0.1").await();
    port = listener.localAddress().port();
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  WakeExecutor executor(int repeats, long intervalMs, int perSubnet) {
    DirectRoutes routes = DirectRoutes.parse(new JsonObject().put(SUBNET.toString(), new JsonObject().put("127.0.0.1", port)), 9);
    WakeSettings s = new WakeSettings(2, 1000, perSubnet, repeats, intervalMs, 9, WakeSettings.BROADCAST_SUBNET, routes,
        30, 300, 10_000);
    Dispatcher unused = new Dispatcher(vertx, new InMemoryAgentLocations(), new GatewayMetrics(registry), 100, 1000);
    WakeExecutor ex = new WakeExecutor(vertx, s, unused, new DirectSender(vertx), new WakeMetrics(registry));
    ex.start().await();
    return ex;
  }

  WakePlan plan(List<MacAddress> macs, boolean directOnly) {
    RelayPlanner planner = new RelayPlanner(new InMemoryRelayIndex(), new InMemoryAgentLocations(),
        DirectRoutes.parse(new JsonObject().put(SUBNET.toString(), new JsonObject().put("127.0.0.1", port)), 9), 2, 9,
        WakeSettings.BROADCAST_SUBNET, new Random(1));
    List<WakeTarget> targets = new ArrayList<>();
    macs.forEach(m -> targets.add(WakeTarget.mac(m, List.of(SUBNET))));
    return planner.plan(targets, directOnly).await();
  }

  static final MacAddress MARKER = MacAddress.parse("02:00:5e:ff:ff:fe");

  /**
   * Waits for {@code n} packets, then makes sure nothing more was on its way: wakes a marker MAC
   * through the same executor and waits for all {@code repeats} of its packets (they queue behind
   * anything still paced or repeating). Returns what arrived apart from the marker.
   */
  List<Received> await(WakeExecutor ex, int n, int repeats) {
    waitFor(() -> received.size() >= n);
    ex.execute("req-marker", "test", plan(List.of(MARKER), true), null).await();
    waitFor(() -> received.stream().filter(WakeDirectSendTest::isMarker).count() >= repeats);
    return received.stream().filter(r -> !isMarker(r)).toList();
  }

  static boolean isMarker(Received r) {
    return r.bytes().length >= 12 && java.util.Arrays.equals(java.util.Arrays.copyOfRange(r.bytes(), 6, 12),
        MARKER.bytes());
  }

  static void waitFor(java.util.function.BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("packets within 20 s").isLessThan(end);
      sleep(20);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** 6 x 0xFF then the MAC 16 times: 102 bytes, sent wake.repeats times at least the interval apart. */
  @Test
  void sendsTheMagicPacketRepeatedly() {
    // GIVEN a direct route for 192.0.2.0/24 pointing at the loopback listener, 3 repeats 150 ms apart
    WakeExecutor ex = executor(3, 150, 100);
    MacAddress mac = MacAddress.parse("02-00-5E-10-00-01");
    // WHEN the target is woken
    ex.execute("req-1", "test", plan(List.of(mac), false), null).await();
    // THEN exactly 3 packets arrive, each the 102-byte magic packet of that MAC
    List<Received> got = await(ex, 3, 3);
    assertThat(got).hasSize(3);
    byte[] macBytes = {0x02, 0x00, 0x5E, 0x10, 0x00, 0x01};
    for (Received r : got) {
      assertThat(r.bytes()).hasSize(102);
      for (int i = 0; i < 6; i++) {
        assertThat(r.bytes()[i]).isEqualTo((byte) 0xFF);
      }
      for (int rep = 0; rep < 16; rep++) {
        for (int i = 0; i < 6; i++) {
          assertThat(r.bytes()[6 + rep * 6 + i]).as("byte %d of copy %d", i, rep).isEqualTo(macBytes[i]);
        }
      }
    }
    // AND the repeats are at least the interval apart
    assertThat(got.get(1).nanos() - got.get(0).nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(140).toNanos());
    assertThat(got.get(2).nanos() - got.get(1).nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(140).toNanos());
    // AND they are counted as direct packets sent (with the marker's three)
    assertThat(registry.get(MetricNames.WAKE_PACKETS).tag("path", "direct").tag("outcome", "sent").counter().count())
        .isEqualTo(3.0 + 3);
  }

  /** With a SecureOn password the packet carries it after the 102 bytes (6 or 4 bytes). */
  @Test
  void appendsTheSecureOnPassword() {
    WakeExecutor ex = executor(1, 0, 100);
    MacAddress mac = MacAddress.parse("02:00:5e:10:00:02");
    byte[] six = MagicPacket.secureOn("01:02:03:04:05:06");
    ex.execute("req-6", "test", plan(List.of(mac), true), six).await();
    List<Received> got = await(ex, 1, 1);
    assertThat(got).singleElement().satisfies(r -> {
      assertThat(r.bytes()).hasSize(108);
      assertThat(java.util.Arrays.copyOfRange(r.bytes(), 0, 102)).isEqualTo(MagicPacket.of(mac));
      assertThat(java.util.Arrays.copyOfRange(r.bytes(), 102, 108)).containsExactly(1, 2, 3, 4, 5, 6);
    });
    received.clear();
    ex.execute("req-4", "test", plan(List.of(mac), true), MagicPacket.secureOn("192.168.1.7")).await();
    assertThat(await(ex, 1, 1)).singleElement().satisfies(r -> {
      assertThat(r.bytes()).hasSize(106);
      assertThat(java.util.Arrays.copyOfRange(r.bytes(), 102, 106)).containsExactly(192, 168, 1, 7);
    });
  }

  /** At most N packets per second into the subnet: 12 packets at 4/s take about two seconds, not a burst. */
  @Test
  void pacesPacketsPerSubnet() {
    WakeExecutor ex = executor(1, 0, 4);
    List<MacAddress> macs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      macs.add(MacAddress.parse(String.format("02:00:5e:10:01:%02x", i)));
    }
    long t0 = System.nanoTime();
    ex.execute("req-p", "test", plan(macs, false), null).await();
    List<Received> got = await(ex, 12, 1);
    assertThat(got).hasSize(12);
    // 4 at once (one second of burst), then 4 per second: the 12th no sooner than about 2 s
    // (lower bounds only: a loaded machine delays packets, it cannot hurry them)
    long lastMs = (got.get(11).nanos() - t0) / 1_000_000;
    assertThat(lastMs).isGreaterThanOrEqualTo(1700L);
    long inFirstSecond = got.stream().filter(r -> r.nanos() - t0 < 900_000_000L).count();
    assertThat(inFirstSecond).isLessThanOrEqualTo(8);
  }
}
