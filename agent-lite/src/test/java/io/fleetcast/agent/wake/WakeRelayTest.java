package io.fleetcast.agent.wake;

import static io.fleetcast.agent.testing.Agents.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.testing.Agents;
import io.fleetcast.agent.testing.FakeNode;
import io.fleetcast.protocol.AgentMessage.WakeDone;
import io.fleetcast.protocol.NodeMessage.WakeRelay;
import io.fleetcast.protocol.NodeMessage.WakeTarget;
import io.fleetcast.protocol.wake.MacAddress;
import io.fleetcast.protocol.wake.MagicPacket;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Wake-on-LAN relay, sending ONLY to a UDP listener on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class WakeRelayTest {
  private final List<byte[]> packets = new CopyOnWriteArrayList<>();
  private DatagramSocket listener;
  private int port;

  @BeforeEach
  void listen(Vertx vertx) throws Exception {
    listener = vertx.createDatagramSocket();
    listener.handler(p -> packets.add(p.data().getBytes()));
    listener.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    port = listener.localAddress().port();
  }

  @AfterEach
  void close() throws Exception {
    listener.close().await(5, TimeUnit.SECONDS);
  }

  /** Each target gets `repeats` 102-byte magic packets; bad MACs and missing addresses are reported failed. */
  @Test
  void relaySendsMagicPackets(Vertx vertx) throws Exception {
    WakeRelayer relayer = new WakeRelayer(vertx, null, null, 3, Duration.ofMillis(30));
    WakeRelay req = new WakeRelay("w-1", List.of(
        new WakeTarget("AA-BB-CC-DD-EE-01", "127.0.0.1", port),
        new WakeTarget("not-a-mac", "127.0.0.1", port),
        new WakeTarget("aa:bb:cc:dd:ee:02", null, port)));

    WakeDone done = relayer.relay(req).await(5, TimeUnit.SECONDS);

    assertThat(done.requestId()).isEqualTo("w-1");
    assertThat(done.sent()).containsExactly("AA-BB-CC-DD-EE-01");
    assertThat(done.failed()).extracting(f -> f.mac()).containsExactly("not-a-mac", "aa:bb:cc:dd:ee:02");
    assertThat(done.failed().get(0).error()).contains("not a MAC address");
    assertThat(done.failed().get(1).error()).contains("no broadcast address");
    eventually("3 packets", () -> packets.size() == 3);
    byte[] expected = MagicPacket.of(MacAddress.parse("aa:bb:cc:dd:ee:01"));
    assertThat(packets).allSatisfy(p -> assertThat(p).hasSize(102).isEqualTo(expected));
  }

  /** Through the agent: wakeRelay from the node gives packets (forced to 127.0.0.1) and a wakeDone frame. */
  @Test
  void agentAnswersWakeDone(Vertx vertx, @TempDir Path dir) throws Exception {
    try (FakeNode node = new FakeNode(vertx, "agent-w", "pw", "node-w").start()) {
      AgentLite agent = new AgentLite(vertx, Agents.options(dir, "agent-w", "pw", node.url(), null));
      agent.start().await(10, TimeUnit.SECONDS);
      eventually("connected", agent::connected);

      // the node names another broadcast address (a documentation range); the test configuration forces 127.0.0.1
      node.send(new WakeRelay("w-2", List.of(new WakeTarget("01:02:03:04:05:06", "198.51.100.255", port))));

      JsonObject done = node.await("wakeDone", j -> "w-2".equals(j.getString("requestId")));
      assertThat(done.getJsonArray("sent").getList()).containsExactly("01:02:03:04:05:06");
      assertThat(done.getJsonArray("failed")).isEmpty();
      eventually("2 packets", () -> packets.size() == 2);
      assertThat(packets.get(0)).isEqualTo(MagicPacket.of(MacAddress.parse("01:02:03:04:05:06")));
      agent.stop().await(10, TimeUnit.SECONDS);
    }
  }
}
