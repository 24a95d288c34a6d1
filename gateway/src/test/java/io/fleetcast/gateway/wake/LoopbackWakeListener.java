package io.fleetcast.gateway.wake;

import io.fleetcast.protocol.wake.MacAddress;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A UDP listener on 127.0.0.1 standing in for a sleeping machine's network card: it checks
 * every datagram is a well-formed magic packet and can "boot" a machine (run an action once)
 * when that machine's packet arrives. Tests point the wake broadcast address at 127.0.0.1 and
 * the port at this listener, so no packet ever leaves the host.
 */
final class LoopbackWakeListener {
  private final DatagramSocket socket;
  private final ConcurrentLinkedQueue<String> macs = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Integer> malformed = new ConcurrentLinkedQueue<>();
  private final Map<String, Runnable> boots = new ConcurrentHashMap<>();
  private final Map<String, AtomicBoolean> booted = new ConcurrentHashMap<>();

  LoopbackWakeListener(Vertx vertx) {
    socket = vertx.createDatagramSocket();
    socket.handler(p -> onPacket(p.data().getBytes()));
    socket.listen(0, "127.0.0.1").await();
  }

  int port() {
    return socket.localAddress().port();
  }

  /** Runs {@code boot} (once) when the magic packet of {@code mac} arrives. */
  void onMagicPacket(String mac, Runnable boot) {
    String m = MacAddress.parse(mac).toString();
    booted.put(m, new AtomicBoolean());
    boots.put(m, boot);
  }

  private void onPacket(byte[] b) {
    String mac = macOf(b);
    if (mac == null) {
      malformed.add(b.length);
      return;
    }
    macs.add(mac);
    Runnable boot = boots.get(mac);
    if (boot != null && booted.get(mac).compareAndSet(false, true)) {
      // off the event loop: starting an agent touches its state directory
      Thread t = new Thread(boot, "boot-" + mac);
      t.setDaemon(true);
      t.start();
    }
  }

  /** The MAC of a well-formed magic packet (102 bytes, or 106/108 with SecureOn), else null. */
  static String macOf(byte[] b) {
    if (b.length != 102 && b.length != 106 && b.length != 108) {
      return null;
    }
    for (int i = 0; i < 6; i++) {
      if (b[i] != (byte) 0xFF) {
        return null;
      }
    }
    byte[] mac = Arrays.copyOfRange(b, 6, 12);
    for (int rep = 1; rep < 16; rep++) {
      if (!Arrays.equals(mac, Arrays.copyOfRange(b, 6 + rep * 6, 12 + rep * 6))) {
        return null;
      }
    }
    return MacAddress.of(mac).toString();
  }

  long count(String mac) {
    String m = MacAddress.parse(mac).toString();
    return macs.stream().filter(m::equals).count();
  }

  List<String> received() {
    return List.copyOf(macs);
  }

  List<Integer> malformed() {
    return List.copyOf(malformed);
  }
}
