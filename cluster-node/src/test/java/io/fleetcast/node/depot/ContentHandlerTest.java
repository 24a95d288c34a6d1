package io.fleetcast.node.depot;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.depot.BlobStore;
import io.fleetcast.common.security.AgentSecrets;
import io.fleetcast.node.agent.AgentAuthenticator;
import io.fleetcast.node.agent.RevocationList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The depot's content answers over a real HTTP socket: auth, Range, 416, and "soon" (503) versus 404 on a miss. */
@org.junit.jupiter.api.Timeout(30)
class ContentHandlerTest {
  static final byte[] KEY = new byte[32];

  @TempDir
  Path dir;

  Vertx vertx;
  HttpServer server;
  HttpClient http;
  BlobStore blobs;
  final AtomicBoolean willHold = new AtomicBoolean();
  final DepotTokens tokens = new DepotTokens(new AgentSecrets(KEY));
  final String sha = "ab".repeat(32);
  final String missing = "cd".repeat(32);

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    blobs = new BlobStore(dir);
    Files.write(dir.resolve(sha), "0123456789".getBytes());
    AgentSecrets secrets = new AgentSecrets(KEY);
    ContentHandler h = new ContentHandler(vertx, blobs, new AgentAuthenticator(secrets, new RevocationList(null)),
        tokens, new DepotMetrics(new SimpleMeterRegistry(), "depot"), 4,
        s -> Future.succeededFuture(willHold.get()));
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> h.handle(req, req.path().substring("/content/".length()))).listen().await();
    http = vertx.createHttpClient();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  record Answer(int status, String body, String retryAfter) {}

  Answer get(String blob, String token, String agentAuth, String range) {
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.actualPort())
        .setURI("/content/" + blob);
    if (token != null) {
      ro.putHeader(DepotTokens.HEADER, token);
    }
    if (agentAuth != null) {
      ro.putHeader("Authorization", agentAuth);
    }
    if (range != null) {
      ro.putHeader("Range", range);
    }
    ro.setConnectTimeout(5_000).setIdleTimeout(8_000);
    // bounded, and tried once more on a fresh connection when the first try got no answer: once,
    // on a loaded box running the whole suite, a request here waited out the test's 30 s. What is
    // asserted is the answer; a transport that lost one is not what these tests are about.
    try {
      return send(http, ro);
    } catch (java.util.concurrent.TimeoutException | RuntimeException lost) {
      HttpClient fresh = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(false));
      try {
        return send(fresh, ro);
      } catch (java.util.concurrent.TimeoutException again) {
        throw new AssertionError("no answer for " + ro.getURI() + " twice", again);
      } finally {
        fresh.close();
      }
    }
  }

  private static Answer send(HttpClient client, RequestOptions ro) throws java.util.concurrent.TimeoutException {
    return client.request(ro).compose(r -> r.send()).compose(resp -> resp.body()
            .map(b -> new Answer(resp.statusCode(), b.toString(), resp.getHeader("Retry-After"))))
        .await(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Only fleet members: no credential and a foreign depot token are 401; an agent credential and a good token pass. */
  @Test
  void onlyFleetMembersGetContent() {
    assertThat(get(sha, null, null, null).status()).isEqualTo(401);
    String foreign = new DepotTokens(new AgentSecrets(new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})).issue(sha, Duration.ofMinutes(1), Instant.now());
    assertThat(get(sha, foreign, null, null).status()).isEqualTo(401);
    String agentId = "3f1c2b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f";
    String cred = new AgentSecrets(KEY).credentialFor(agentId).authorizationHeader();
    assertThat(get(sha, null, cred, null)).isEqualTo(new Answer(200, "0123456789", null));
    assertThat(get(sha, tokens.issue(sha, Duration.ofMinutes(1), Instant.now()), null, "bytes=4-").body())
        .isEqualTo("456789");
    assertThat(get(sha, tokens.issue(sha, Duration.ofMinutes(1), Instant.now()), null, "bytes=10-").status())
        .isEqualTo(416);
  }

  /** A miss the depot is about to fill is 503 + Retry-After (wait for me), any other miss 404 (go elsewhere). */
  @Test
  void missIsSoonOrNotFound() {
    String token = tokens.issue(missing, Duration.ofMinutes(1), Instant.now());
    assertThat(get(missing, token, null, null).status()).isEqualTo(404);
    willHold.set(true);
    Answer soon = get(missing, token, null, null);
    assertThat(soon.status()).isEqualTo(503);
    assertThat(soon.retryAfter()).isEqualTo("2");
  }
}
