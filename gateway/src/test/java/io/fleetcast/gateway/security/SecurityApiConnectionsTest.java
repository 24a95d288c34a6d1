package io.fleetcast.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.RawHttp;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The API port against clients that do not play by the rules, over raw sockets: bodies are not
 * read before the credential is checked, headers and bodies have a deadline, connections are
 * capped, ambiguous framing is refused, wrong methods get 405, and refused credentials are
 * throttled per client address (the product's default throttle). Loopback only; the source
 * addresses 127.0.0.x keep the throttled addresses apart.
 */
@Timeout(240)
class SecurityApiConnectionsTest {
  static final int MAX_CONNECTIONS = 350;
  static final int REQUEST_TIMEOUT_SECONDS = 3;
  static TestServer server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("api.maxConnections", MAX_CONNECTIONS,
        "api.requestTimeoutSeconds", REQUEST_TIMEOUT_SECONDS, "api.keepAliveSeconds", 4,
        "api.authFailuresPerMinute", 30, "api.authFailureBurst", 20));
    api = new Api(server.apiUrl(), server.adminToken());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A 2 MiB body without a token gets 401 (not 413) without being sent, and its connection is closed. */
  @Test
  void unauthenticatedBodyIsRefusedBeforeItIsRead() throws Exception {
    try (RawHttp c = RawHttp.connect("127.0.0.11", server.apiPort())) {
      c.head("POST", "/api/v1/rollouts", "Content-Type: application/json", "Content-Length: 2097152").send("{\"na");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.header("content-type")).isEqualTo("application/problem+json");
      assertThat(r.header("connection")).isEqualToIgnoringCase("close");
      assertThat(c.closedByServer(15_000)).as("connection closed after the 401").isTrue();
    }
    // an enrollment with a made-up token: refused from the token alone, before its 1 MB body
    try (RawHttp c = RawHttp.connect("127.0.0.12", server.apiPort())) {
      c.head("POST", "/api/v1/enroll", "Authorization: Bearer fce_madeup" + UUID.randomUUID(),
          "Content-Type: application/json", "Content-Length: 1000000").send("{\"hostname\":");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.body()).contains("unknown enrollment token");
      assertThat(c.closedByServer(15_000)).isTrue();
    }
  }

  /** Through the JDK's HTTP client, which reads while it sends: 30 too-large bodies in a row each get their 413. */
  @Test
  void tooLargeBodiesGetTheirAnswerThroughAnHttpClient() {
    String body = new JsonObject().put("name", "z".repeat(1_400_000)).encode();
    for (int i = 0; i < 30; i++) {
      assertThat(api.post("/api/v1/rollouts", body).status()).as("attempt %d", i).isEqualTo(413);
    }
  }

  /** 300 unauthenticated connections with unfinished 1 MB bodies, all open at once: each answered 401 and closed, none kept. */
  @Test
  void unfinishedUnauthenticatedBodiesAreNotKept() throws Exception {
    List<RawHttp> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        RawHttp c = RawHttp.connect("127.0.0.13", server.apiPort());
        clients.add(c);
        c.head("POST", "/api/v1/rollouts", "Content-Type: application/json", "Content-Length: 1048576")
            .send("{\"name\":\"" + "x".repeat(8000));
      }
      for (RawHttp c : clients) {
        assertThat(c.read().status()).isEqualTo(401);
        assertThat(c.closedByServer(15_000)).isTrue();
      }
      Waits.until(() -> openConnections() < 10 ? true : null, Duration.ofSeconds(30));
    } finally {
      for (RawHttp c : clients) {
        c.close();
      }
    }
  }

  /** Headers trickled one line at a time are cut off by the request deadline; the server never answers them. */
  @Test
  void slowHeadersAreCutOffAtTheDeadline() throws Exception {
    double before = rejected("timeout");
    try (RawHttp c = RawHttp.connect("127.0.0.14", server.apiPort())) {
      c.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      boolean closed = false;
      for (int i = 0; i < 100 && !closed; i++) { // bounded: 100 x 300 ms, far beyond the 3 s deadline
        try {
          c.send("X-Slow-" + i + ": 1\r\n");
        } catch (IOException e) {
          closed = true; // the server closed it between two lines
          break;
        }
        closed = c.closedByServer(300);
      }
      assertThat(closed).as("closed by the server while the headers were still coming").isTrue();
    }
    assertThat(rejected("timeout")).isGreaterThan(before);
  }

  /** An authenticated body that stops arriving gets 408 and its connection closed. */
  @Test
  void slowBodyGets408() throws Exception {
    try (RawHttp c = RawHttp.connect(server.apiPort())) {
      c.head("POST", "/api/v1/rollouts", "Authorization: Bearer " + server.adminToken(),
          "Content-Type: application/json", "Content-Length: 100").send("{\"name\":");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.body()).contains("Request Timeout");
      assertThat(c.closedByServer(15_000)).isTrue();
    }
  }

  /** A kept-alive connection that sends no next request is closed after the keep-alive time. */
  @Test
  void idleKeptAliveConnectionIsClosed() throws Exception {
    try (RawHttp c = RawHttp.connect(server.apiPort())) {
      c.head("GET", "/health/live");
      assertThat(c.read().status()).isEqualTo(200);
      assertThat(c.closedByServer(30_000)).isTrue();
    }
  }

  /** Above api.maxConnections a new connection is closed at once; once the silent ones hit the deadline, clients get in again. */
  @Test
  void connectionsAreCapped() throws Exception {
    double before = rejected("too_many_connections");
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS + 20; i++) {
        silent.add(new Socket("127.0.0.1", server.apiPort()));
      }
      Waits.until(() -> openConnections() >= MAX_CONNECTIONS - 5 ? true : null, Duration.ofSeconds(30));
      assertThat(openConnections()).isLessThanOrEqualTo(MAX_CONNECTIONS);
      // the silent ones are cut at the header deadline; then the port serves again
      assertThat(Waits.until(() -> {
        try {
          return api.get("/health/live").status() == 200 ? true : null;
        } catch (RuntimeException e) {
          return null;
        }
      }, Duration.ofSeconds(60))).isTrue();
      assertThat(rejected("too_many_connections") - before).as("connections refused above the cap")
          .isGreaterThanOrEqualTo(10);
    } finally {
      for (Socket s : silent) {
        s.close();
      }
      Waits.until(() -> openConnections() < 10 ? true : null, Duration.ofSeconds(30));
    }
  }

  static int openConnections() {
    return server.runtime().gateway().api().openConnections();
  }

  /** Content-Length with Transfer-Encoding on a kept-alive connection: 400, closed, the request behind it never served. */
  @Test
  void contentLengthWithChunkedIsRefusedAndTheConnectionClosed() throws Exception {
    double before = rejected("bad_framing");
    try (RawHttp c = RawHttp.connect(server.apiPort())) {
      c.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "0\r\n\r\n"
          + "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).contains("Content-Length and Transfer-Encoding");
      assertThat(c.closedByServer(15_000)).as("closed; the second request is not answered").isTrue();
    }
    assertThat(rejected("bad_framing")).isGreaterThan(before);
    // the same two requests framed one way only are both served on the kept-alive connection
    try (RawHttp c = RawHttp.connect(server.apiPort())) {
      c.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
          + "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      assertThat(c.read().status()).isEqualTo(200);
    }
  }

  /** A known path with a method it does not have answers 405 with Allow, on one kept-alive connection; an unknown path stays 404. */
  @Test
  void wrongMethodOnAKnownPathAnswers405WithAllow() throws Exception {
    try (RawHttp c = RawHttp.connect(server.apiPort())) {
      c.head("PUT", "/api/v1/rollouts", "Authorization: Bearer " + server.adminToken(), "Content-Type: application/json",
          "Content-Length: 2").send("{}");
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.header("allow")).isEqualTo("GET, POST");
      assertThat(r.header("content-type")).isEqualTo("application/problem+json");
      c.head("DELETE", "/api/v1/rollouts/" + UUID.randomUUID(), "Authorization: Bearer " + server.adminToken());
      RawHttp.Response one = c.read();
      assertThat(one.status()).isEqualTo(405);
      assertThat(one.header("allow")).isEqualTo("GET");
      assertThat(one.header("connection")).as("a request without a body keeps its connection").isNull();
      c.head("GET", "/api/v1/no-such-thing", "Authorization: Bearer " + server.adminToken());
      assertThat(c.read().status()).isEqualTo(404);
    }
  }

  /**
   * Refused API tokens and enrollment tokens are throttled per client address (429 with
   * Retry-After after the burst), counted; other addresses and a working token are not affected.
   */
  @Test
  void failedAuthenticationsAreThrottledPerAddress() throws Exception {
    double failures = metric("fleetcast_api_auth_failures_total", "credential=\"api_token\"");
    List<Integer> statuses = new ArrayList<>();
    RawHttp.Response limited = null;
    for (int i = 0; i < 30 && limited == null; i++) {
      RawHttp.Response r = call("127.0.0.7", "GET", "/api/v1/rollouts", "fct_guess" + UUID.randomUUID());
      statuses.add(r.status());
      if (r.status() == 429) {
        limited = r;
      }
    }
    assertThat(limited).as("429 after the burst of refused tokens; got %s", statuses).isNotNull();
    assertThat(Integer.parseInt(limited.header("retry-after"))).isPositive();
    assertThat(limited.body()).contains("too many failed authentications");
    assertThat(statuses.subList(0, 20)).containsOnly(401);
    assertThat(metric("fleetcast_api_auth_failures_total", "credential=\"api_token\"") - failures)
        .isGreaterThanOrEqualTo(20);
    assertThat(rejected("auth_throttled")).isPositive();

    // another address is not throttled
    assertThat(call("127.0.0.8", "GET", "/api/v1/rollouts", "fct_guess" + UUID.randomUUID()).status()).isEqualTo(401);
    // a token known to be valid still works from the throttled address (warmed from another one first)
    Integer ok = null;
    for (int i = 0; i < 5 && ok == null; i++) {
      api.get("/api/v1/rollouts");
      int s = call("127.0.0.7", "GET", "/api/v1/rollouts", server.adminToken()).status();
      ok = s == 200 ? s : null;
    }
    assertThat(ok).as("a working token from the throttled address").isEqualTo(200);

    // enrollment tokens are throttled the same way
    List<Integer> enrolls = new ArrayList<>();
    for (int i = 0; i < 30 && !enrolls.contains(429); i++) {
      enrolls.add(call("127.0.0.9", "POST", "/api/v1/enroll", "fce_guess" + UUID.randomUUID()).status());
    }
    assertThat(enrolls).contains(429);
    assertThat(enrolls.subList(0, 20)).containsOnly(401);
  }

  static RawHttp.Response call(String source, String method, String path, String token) throws IOException {
    try (RawHttp c = RawHttp.connect(source, server.apiPort())) {
      String body = method.equals("POST") ? "{\"hostname\":\"h\"}" : "";
      c.head(method, path, "Authorization: Bearer " + token, "Connection: close", "Content-Type: application/json",
          "Content-Length: " + body.length()).send(body);
      return c.read();
    }
  }

  static double rejected(String reason) {
    return metric("fleetcast_api_rejected_total", "reason=\"" + reason + "\"");
  }

  static double metric(String name, String label) {
    return metricOf(server, name, label);
  }

  /** Sum of the samples of {@code name} carrying {@code label} on the server's /metrics. */
  static double metricOf(TestServer server, String name, String label) {
    double sum = 0;
    for (String line : new Api(server.apiUrl(), null).get("/metrics").body().split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
