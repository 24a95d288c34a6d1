package io.fleetcast.agent.wake;

import io.fleetcast.protocol.net.IpLiteral;
import io.fleetcast.protocol.log.Kv;
import io.fleetcast.protocol.AgentMessage.WakeDone;
import io.fleetcast.protocol.AgentMessage.WakeFailure;
import io.fleetcast.protocol.NodeMessage.WakeRelay;
import io.fleetcast.protocol.NodeMessage.WakeTarget;
import io.fleetcast.protocol.wake.MacAddress;
import io.fleetcast.protocol.wake.MagicPacket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Answers {@code wakeRelay}: sends Wake-on-LAN magic packets by UDP (broadcast enabled) to each
 * target's broadcast address and port, {@code repeats} rounds {@code interval} apart (a single
 * packet is easily lost), then reports which MACs were sent and which failed and why.
 *
 * <p>Addresses: {@code forceAddress} when configured (tests and demos pin it to 127.0.0.1),
 * else the target's {@code broadcast}, else the configured default; with none of them the
 * target fails. Only IP literals are used, so nothing is resolved through DNS.
 */
public final class WakeRelayer {
  private static final Logger LOG = Logger.getLogger(WakeRelayer.class.getName());

  private final Vertx vertx;
  private final String defaultBroadcast;
  private final String forceAddress;
  private final int repeats;
  private final Duration interval;

  public WakeRelayer(Vertx vertx, String defaultBroadcast, String forceAddress, int repeats, Duration interval) {
    this.vertx = vertx;
    this.defaultBroadcast = defaultBroadcast;
    this.forceAddress = forceAddress;
    this.repeats = Math.max(1, repeats);
    this.interval = interval;
  }

  private record Planned(String mac, byte[] packet, String address, int port) {}

  /** Never fails: problems are per target, in {@code failed}. */
  public Future<WakeDone> relay(WakeRelay request) {
    Map<String, String> failed = new LinkedHashMap<>();
    List<Planned> planned = new ArrayList<>();
    for (WakeTarget t : request.targets()) {
      try {
        MacAddress mac = MacAddress.parse(t.mac());
        String address = forceAddress != null ? forceAddress : t.broadcast() != null ? t.broadcast() : defaultBroadcast;
        if (address == null || address.isBlank()) {
          throw new IllegalArgumentException("no broadcast address given and none configured");
        }
        IpLiteral.bytes(address);
        int port = t.port() > 0 && t.port() < 65536 ? t.port() : MagicPacket.DEFAULT_PORT;
        planned.add(new Planned(t.mac(), MagicPacket.of(mac), address, port));
      } catch (IllegalArgumentException e) {
        failed.put(t.mac(), e.getMessage());
      }
    }
    if (planned.isEmpty()) {
      return Future.succeededFuture(done(request, List.of(), failed));
    }
    DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions().setBroadcast(true));
    Map<String, String> lastError = new LinkedHashMap<>();
    Map<String, Boolean> anySent = new LinkedHashMap<>();
    planned.forEach(p -> anySent.put(p.mac(), false));
    Future<Void> rounds = Future.succeededFuture();
    for (int round = 0; round < repeats; round++) {
      int r = round;
      rounds = rounds.compose(v -> r == 0 ? Future.succeededFuture() : delay(interval.toMillis()))
          .compose(v -> sendRound(socket, planned, anySent, lastError));
    }
    return rounds.eventually(socket::close).map(v -> {
      List<String> sent = new ArrayList<>();
      for (Planned p : planned) {
        if (anySent.get(p.mac())) {
          sent.add(p.mac());
        } else {
          failed.put(p.mac(), lastError.getOrDefault(p.mac(), "not sent"));
        }
      }
      WakeDone d = done(request, sent, failed);
      LOG.info(Kv.event("wake.relayed").kv("requestId", request.requestId()).kv("sent", sent.size())
          .kv("failed", d.failed().size()).kv("repeats", repeats).toString());
      return d;
    });
  }

  private Future<Void> sendRound(DatagramSocket socket, List<Planned> planned, Map<String, Boolean> anySent,
      Map<String, String> lastError) {
    List<Future<Void>> sends = new ArrayList<>();
    for (Planned p : planned) {
      sends.add(socket.send(Buffer.buffer(p.packet()), p.port(), p.address())
          .onSuccess(v -> anySent.put(p.mac(), true))
          .onFailure(e -> lastError.put(p.mac(), "send to " + p.address() + ":" + p.port() + " failed: "
              + e.getMessage())));
    }
    return Future.join(sends).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  private Future<Void> delay(long millis) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, millis), id -> p.complete());
    return p.future();
  }

  private static WakeDone done(WakeRelay request, List<String> sent, Map<String, String> failed) {
    List<WakeFailure> f = new ArrayList<>();
    failed.forEach((mac, why) -> f.add(new WakeFailure(mac, why)));
    return new WakeDone(request.requestId(), sent, f);
  }
}
