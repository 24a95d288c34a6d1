package io.fleetcast.gateway.wake;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;

/**
 * Sends magic packets by UDP from this process, with broadcast enabled, to addresses taken from
 * the configured direct routes (IP literals only: nothing is resolved). One socket per address
 * family, opened on first use. Sending never blocks: Vert.x datagram sends are asynchronous.
 */
public final class DirectSender {
  private final Vertx vertx;
  private DatagramSocket v4;
  private DatagramSocket v6;

  public DirectSender(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Void> send(byte[] packet, String address, int port) {
    return socket(address.indexOf(':') >= 0).send(Buffer.buffer(packet), port, address);
  }

  private synchronized DatagramSocket socket(boolean ipv6) {
    if (ipv6) {
      if (v6 == null) {
        v6 = vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(true));
      }
      return v6;
    }
    if (v4 == null) {
      v4 = vertx.createDatagramSocket(new DatagramSocketOptions().setBroadcast(true));
    }
    return v4;
  }

  public synchronized Future<Void> close() {
    Future<Void> a = v4 == null ? Future.succeededFuture() : v4.close();
    Future<Void> b = v6 == null ? Future.succeededFuture() : v6.close();
    v4 = null;
    v6 = null;
    return Future.join(a, b).mapEmpty();
  }
}
