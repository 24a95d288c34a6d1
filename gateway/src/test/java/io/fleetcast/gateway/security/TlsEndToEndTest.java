package io.fleetcast.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.AgentListener;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.gateway.app.ServerRuntime;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.RawWebSocket;
import io.fleetcast.gateway.testing.ServerProcess;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS end to end with certificates from gen-certs: a gateway + node and a second node, all with
 * dev=false, TLS on the API, the agent port and the event bus (client certificates required).
 * The real agent enrolls over https, pins the CA and runs tasks over wss; nothing without the
 * right certificate gets anywhere.
 */
@Timeout(180)
class TlsEndToEndTest {
  static DevCertificates.Result certs;
  static TestServer server;
  static ServerRuntime second;
  static int secondEventBusPort;
  static Vertx vertx;
  static Api api;
  static String apiUrl;
  static Path states;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("fleetcast-tls");
    certs = DevCertificates.generate(dir.resolve("certs"), List.of("127.0.0.1", "localhost"), Duration.ofDays(2), false);
    Map<String, Object> tls = tlsSettings();
    server = TestServer.start(tls);
    secondEventBusPort = ServerProcess.freePort();
    Map<String, Object> member = new HashMap<>(tls);
    member.put("cluster.eventBusPort", secondEventBusPort);
    second = server.startMember(false, true, member);
    vertx = Vertx.vertx();
    apiUrl = "https://127.0.0.1:" + server.apiPort();
    api = new Api(apiUrl, server.adminToken(), trustingClient());
    states = Files.createTempDirectory("fleetcast-tls-agents");
  }

  static Map<String, Object> tlsSettings() {
    Map<String, Object> m = new HashMap<>();
    m.put("dev", false);
    m.put("api.tlsCert", certs.serverFile().toString());
    m.put("api.tlsKey", certs.serverKeyFile().toString());
    m.put("agent.tlsCert", certs.serverFile().toString());
    m.put("agent.tlsKey", certs.serverKeyFile().toString());
    m.put("tls.caCert", certs.caFile().toString());
    m.put("cluster.tlsCert", certs.serverFile().toString());
    m.put("cluster.tlsKey", certs.serverKeyFile().toString());
    m.put("cluster.tlsCa", certs.caFile().toString());
    return m;
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
    if (second != null) {
      second.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A JDK HTTP client that trusts the test CA only. */
  static HttpClient trustingClient() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", certs.ca());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static String agentUrl(int port) {
    return "wss://127.0.0.1:" + port + "/agent/v1";
  }

  static String enrollmentToken(int uses) {
    Api.Res r = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", uses));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("token");
  }

  static AgentOptions options(String name) {
    return new AgentOptions().stateDir(states.resolve(name)).gatewayUrl(apiUrl).dev(false)
        .factsProvider(StaticFactsProvider.loopback(name)).backoffBase(Duration.ofMillis(100))
        .backoffCap(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(3));
  }

  static void runTaskOn(String agentId) {
    Api.Res created = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("agents", new JsonArray().add(agentId))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    JsonObject done = Waits.rolloutState(api, id, Set.of("completed", "halted", "expired"), Duration.ofSeconds(30));
    assertThat(done.getString("state")).isEqualTo("completed");
    JsonObject result = api.get("/api/v1/rollouts/" + id + "/results").json().getJsonArray("items").getJsonObject(0);
    assertThat(result.getString("status")).isEqualTo("succeeded");
    assertThat(result.getString("output")).contains("hi");
  }

  /**
   * agent-lite enrolls over https (pinned to the CA before enrollment), gets caSha256 in the
   * answer and keeps it; restarted without any pin option it connects over wss with the stored
   * pin and runs a task. Enroll and bootstrap answers carry caSha256 and only wss:// node URLs.
   */
  @Test
  void agentEnrollsOverHttpsPinsTheCaAndRunsATaskOverWss() throws Exception {
    // GIVEN a TLS-only cluster and the CA fingerprint printed by gen-certs
    String pin = certs.caSha256();
    // THEN the enrollment and bootstrap answers hand that fingerprint out
    Api.Res enrolled = api.as(enrollmentToken(1)).post("/api/v1/enroll", new JsonObject().put("hostname", "probe"));
    assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
    assertThat(enrolled.json().getString("caSha256")).isEqualTo(pin);
    assertThat(enrolled.json().getJsonArray("nodes")).isNotEmpty()
        .allSatisfy(u -> assertThat((String) u).startsWith("wss://"));
    Api.Res boot = api.as(enrolled.json().getString("agentId") + "." + enrolled.json().getString("agentSecret"))
        .get("/agent/v1/bootstrap");
    assertThat(boot.status()).isEqualTo(200);
    assertThat(boot.json().getString("caSha256")).isEqualTo(pin);

    // WHEN the real agent enrolls over https with the pin and connects
    AgentLite first = new AgentLite(vertx, options("pinned").enrollmentToken(enrollmentToken(1)).pinSha256(pin));
    first.start().await(30, TimeUnit.SECONDS);
    Waits.until(() -> first.connected() ? true : null, Duration.ofSeconds(20));
    String agentId = first.agentId();
    runTaskOn(agentId);
    first.stop().await();

    // THEN it stored the fingerprint from enrollment, and a restart with no pin option uses it
    String stored = readCredentials("pinned").getString("caSha256");
    assertThat(stored).isEqualTo(pin);
    AgentLite again = new AgentLite(vertx, options("pinned"));
    again.start().await(30, TimeUnit.SECONDS);
    Waits.until(() -> again.connected() ? true : null, Duration.ofSeconds(20));
    assertThat(again.agentId()).isEqualTo(agentId);
    runTaskOn(agentId);
    assertThat(again.executedTaskIds()).hasSize(1);
    again.stop().await();
  }

  /**
   * The gateway reaches the second node only over the TLS event bus: an agent held by that node
   * gets its task and the result comes back.
   */
  @Test
  void dispatchCrossesTheTlsEventBus() throws Exception {
    JsonObject enrolled = api.as(enrollmentToken(1)).post("/api/v1/enroll", new JsonObject().put("hostname", "n2"))
        .json();
    AgentLite agent = new AgentLite(vertx, options("second-node").agentId(enrolled.getString("agentId"))
        .agentSecret(enrolled.getString("agentSecret")).gatewayUrl(null)
        .nodeUrls(List.of(agentUrl(second.node().port()))).pinSha256(certs.caSha256())
        .signingKeys(signingKeys(enrolled)));
    agent.start().await(30, TimeUnit.SECONDS);
    Waits.until(() -> agent.connected() ? true : null, Duration.ofSeconds(20));
    assertThat(second.node().sessions().size()).isEqualTo(1);
    runTaskOn(agent.agentId());
    agent.stop().await();
  }

  /** An agent pinned to another CA's fingerprint never completes a connection; with the right pin it does. */
  @Test
  void agentPinnedToAnotherFingerprintRefusesToConnect() throws Exception {
    DevCertificates.Result stranger = DevCertificates.generate(Files.createTempDirectory("fleetcast-other-ca"),
        List.of("127.0.0.1"), Duration.ofDays(1), false);
    JsonObject enrolled = api.as(enrollmentToken(1)).post("/api/v1/enroll", new JsonObject().put("hostname", "w"))
        .json();
    AtomicInteger connects = new AtomicInteger();
    AgentLite wrong = new AgentLite(vertx, options("wrong-pin").agentId(enrolled.getString("agentId"))
        .agentSecret(enrolled.getString("agentSecret")).nodeUrls(List.of(agentUrl(server.agentPort())))
        .pinSha256(stranger.caSha256()).signingKeys(signingKeys(enrolled)));
    wrong.addListener(new AgentListener() {
      @Override
      public void onConnected(String nodeUrl, String nodeId) {
        connects.incrementAndGet();
      }
    });
    // the positive signal before "it never connected": the agent tried, and gave up on the pin, twice
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger connectorLog = java.util.logging.Logger.getLogger(
        io.fleetcast.agent.connection.NodeConnector.class.getName());
    java.util.logging.Level levelBefore = connectorLog.getLevel();
    java.util.logging.Handler counter = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getMessage() != null && r.getMessage().contains("connect.failed")) {
          failures.add(r.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    connectorLog.setLevel(java.util.logging.Level.INFO);
    connectorLog.addHandler(counter);
    try {
      wrong.start().await(30, TimeUnit.SECONDS);
      Waits.until(() -> failures.size() >= 2 ? true : null, Duration.ofSeconds(60));
    } finally {
      connectorLog.removeHandler(counter);
      connectorLog.setLevel(levelBefore);
    }
    assertThat(connects.get()).as("connections with a wrong pin").isZero();
    assertThat(wrong.connected()).isFalse();
    assertThat(api.get("/api/v1/agents/" + enrolled.getString("agentId")).json().getBoolean("online")).isFalse();
    wrong.stop().await();

    AgentLite right = new AgentLite(vertx, options("right-pin").agentId(enrolled.getString("agentId"))
        .agentSecret(enrolled.getString("agentSecret")).nodeUrls(List.of(agentUrl(server.agentPort())))
        .pinSha256(certs.caSha256()).signingKeys(signingKeys(enrolled)));
    right.start().await(30, TimeUnit.SECONDS);
    Waits.until(() -> right.connected() ? true : null, Duration.ofSeconds(20));
    right.stop().await();
  }

  /** Plain ws:// and http:// to the TLS ports get no upgrade, no HTTP answer, nothing usable. */
  @Test
  void plainClientsGetNothingUsable() throws Exception {
    JsonObject enrolled = api.as(enrollmentToken(1)).post("/api/v1/enroll", new JsonObject().put("hostname", "p"))
        .json();
    String bearer = enrolled.getString("agentId") + "." + enrolled.getString("agentSecret");
    // a raw plaintext upgrade with a valid credential
    assertThatThrownBy(() -> RawWebSocket.connect("127.0.0.1", server.agentPort(), "/agent/v1", bearer).close())
        .as("plaintext upgrade on the TLS agent port").isInstanceOf(java.io.UncheckedIOException.class);
    // a WebSocket client speaking ws://
    var client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(3000));
    assertThatThrownBy(() -> client.connect(new WebSocketConnectOptions()
        .setAbsoluteURI("ws://127.0.0.1:" + server.agentPort() + "/agent/v1")
        .addHeader("Authorization", "Bearer " + bearer).setTimeout(3000)).await(10, TimeUnit.SECONDS))
        .as("ws:// client").isNotNull();
    client.close();
    // http:// to the API
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort()
            + "/api/v1/rollouts")).header("Authorization", "Bearer " + server.adminToken())
            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()))
        .as("http:// to the TLS API").isInstanceOf(IOException.class);
    // and the same agent over wss:// is fine (the credential was good)
    var tlsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(certs.caFile().toString())));
    var ws = tlsClient.connect(new WebSocketConnectOptions().setAbsoluteURI(agentUrl(server.agentPort()))
        .addHeader("Authorization", "Bearer " + bearer)).await(10, TimeUnit.SECONDS);
    ws.close().await();
    tlsClient.close();
  }

  /**
   * The event bus port of a member requires a client certificate from the cluster CA: a TLS
   * client without one and a plaintext client are dropped; a client with one stays connected.
   */
  @Test
  void eventBusRefusesPeersWithoutAClusterCertificate() throws Exception {
    PemTrustOptions trust = new PemTrustOptions().addCertPath(certs.caFile().toString());
    // a drop may take a while on a loaded machine: wait up to 10 s for it; staying open is watched for 2 s
    assertThat(dropped(new NetClientOptions().setSsl(true).setTrustOptions(trust).setHostnameVerificationAlgorithm(""),
        false, 10)).as("TLS without a client certificate").isTrue();
    assertThat(dropped(new NetClientOptions(), true, 10)).as("plaintext").isTrue();
    assertThat(dropped(new NetClientOptions().setSsl(true).setTrustOptions(trust).setHostnameVerificationAlgorithm("")
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.serverFile().toString())
            .setKeyPath(certs.serverKeyFile().toString())), false, 2))
        .as("TLS with a cluster certificate").isFalse();
  }

  /** Connects to the second member's event-bus port (writing a few non-TLS bytes if told), and tells whether the member hung up within {@code seconds}. */
  private static boolean dropped(NetClientOptions options, boolean write, int seconds) throws InterruptedException {
    var client = vertx.createNetClient(options.setConnectTimeout(3000));
    try {
      NetSocket socket;
      AtomicBoolean closed = new AtomicBoolean();
      try {
        // the close handler is set on the event loop as the connection completes: a member that hangs
        // up at once cannot close the socket before the handler is there
        socket = client.connect(secondEventBusPort, "127.0.0.1")
            .onSuccess(s -> s.closeHandler(v -> closed.set(true)))
            .await(10, TimeUnit.SECONDS);
      } catch (Exception refused) {
        return true;
      }
      if (write) {
        socket.write(Buffer.buffer(new byte[] {0, 0, 0, 4, 1, 2, 3, 4}));
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (!closed.get() && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      boolean result = closed.get();
      socket.close();
      return result;
    } finally {
      client.close();
    }
  }

  static Map<String, String> signingKeys(JsonObject enrolled) {
    Map<String, String> keys = new HashMap<>();
    for (Object o : enrolled.getJsonArray("signingKeys")) {
      JsonObject k = (JsonObject) o;
      keys.put(k.getString("keyId"), k.getString("publicKey"));
    }
    return keys;
  }

  static JsonObject readCredentials(String name) {
    try {
      return new JsonObject(Files.readString(states.resolve(name).resolve("credentials.json")));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
