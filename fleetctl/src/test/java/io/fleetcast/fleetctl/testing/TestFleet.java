package io.fleetcast.fleetctl.testing;

import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.common.testing.TestClusterConfig;
import io.fleetcast.common.testing.TestDatabase;
import io.fleetcast.gateway.app.ProcessRole;
import io.fleetcast.gateway.app.ServerRuntime;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A real standalone server (gateway + node, one-member Hazelcast cluster on loopback, dev
 * mode, ephemeral ports) with its own database, plus the few raw HTTP calls tests need to set
 * the stage (the CLI under test is not used for that).
 */
public final class TestFleet implements AutoCloseable {
  private final TestDatabase db;
  private final ServerRuntime runtime;
  private final String adminToken;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private TestFleet(TestDatabase db, ServerRuntime runtime, String adminToken) {
    this.db = db;
    this.runtime = runtime;
    this.adminToken = adminToken;
  }

  public static TestFleet start() {
    return start(Map.of());
  }

  /** With extra settings (e.g. deploy.agentJar). */
  public static TestFleet start(Map<String, Object> extra) {
    TestDatabase db = TestDatabase.create();
    try {
      Path data = Files.createTempDirectory("fleetctl-test-data");
      String token = "fct_test_" + UUID.randomUUID().toString().replace("-", "");
      Map<String, Object> m = new HashMap<>();
      m.put("pg.url", db.url().toString());
      m.put("dataDir", data.toString());
      m.put("adminToken", token);
      m.put("pg.poolSize", 4);
      m.put("rollouts.tickMillis", 200);
      m.put("api.rateLimitPerSecond", 10_000);
      m.put("logLevel", "WARNING");
      m.putAll(extra);
      FleetcastConfig cfg = TestClusterConfig.config(TestClusterConfig.cluster(), m);
      ServerRuntime rt = new ServerRuntime(cfg).start(ProcessRole.STANDALONE);
      return new TestFleet(db, rt, token);
    } catch (IOException e) {
      db.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  public String adminToken() {
    return adminToken;
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + runtime.gateway().port();
  }

  public String agentUrl() {
    return "ws://127.0.0.1:" + runtime.node().port() + "/agent/v1";
  }

  /** The node's own metrics endpoint (on the agent port). */
  public String nodeMetricsUrl() {
    return "http://127.0.0.1:" + runtime.node().port() + "/metrics";
  }

  /** A new enrollment token for {@code maxUses} agents with {@code tags}. */
  public String enrollmentToken(int maxUses, String... tags) {
    JsonObject body = new JsonObject().put("maxUses", maxUses).put("tags", new io.vertx.core.json.JsonArray(java.util.List.of(tags)));
    return call("POST", "/api/v1/enrollment-tokens", adminToken, body).getString("token");
  }

  /** Enrolls an agent; yields agentId and agentSecret. */
  public JsonObject enroll(String enrollmentToken, String hostname) {
    return call("POST", "/api/v1/enroll", enrollmentToken, new JsonObject().put("hostname", hostname));
  }

  public String get(String url) {
    try {
      HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      return res.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public JsonObject call(String method, String path, String token, JsonObject body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl() + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    try {
      HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + " -> " + res.statusCode() + ": " + res.body());
      }
      return res.body().isBlank() ? new JsonObject() : new JsonObject(res.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      runtime.close();
    } finally {
      db.close();
    }
  }
}
