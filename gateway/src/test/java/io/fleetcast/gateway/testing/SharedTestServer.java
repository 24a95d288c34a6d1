package io.fleetcast.gateway.testing;

import java.util.Map;

/**
 * One dev-mode server (gateway + node, own database) shared by the security test classes that
 * need a server but no particular state (fuzzing, slow clients, the rogue-node task replays):
 * a server start costs more than those tests. Started on first use, closed when the test JVM
 * ends. A short handshake deadline (4 s) keeps the slow-client test short; API rate limits are
 * effectively off (HostileInputTest tests them on its own server).
 */
public final class SharedTestServer {
  public static final int HANDSHAKE_TIMEOUT_SECONDS = 4;
  private static TestServer server;

  private SharedTestServer() {}

  public static synchronized TestServer get() {
    if (server == null) {
      TestServer s = TestServer.start(Map.of("agent.handshakeTimeoutSeconds", HANDSHAKE_TIMEOUT_SECONDS,
          "api.rateLimitPerSecond", 1_000_000));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        Thread closer = new Thread(s::close, "shared-test-server-close");
        closer.start();
        try {
          closer.join(20_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "shared-test-server-shutdown"));
      server = s;
    }
    return server;
  }
}
