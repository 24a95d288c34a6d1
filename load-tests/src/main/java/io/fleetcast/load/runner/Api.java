package io.fleetcast.load.runner;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/** The ops REST API (SPEC section 2) as the coordinator uses it: blocking calls on the coordinator thread. */
public final class Api {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  public Api(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public JsonObject get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).GET(), 200);
  }

  public JsonObject post(String path, JsonObject body) {
    return post(path, body, token);
  }

  /** A POST that answers {@code expected} (e.g. 202 for a distribution). */
  public JsonObject post(String path, JsonObject body, int expected) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())), expected);
  }

  private JsonObject post(String path, JsonObject body, String bearer) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + bearer)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())), 201);
  }

  private JsonObject send(HttpRequest.Builder b, int expected) {
    try {
      HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != expected) {
        throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " -> " + r.statusCode() + ": "
            + r.body());
      }
      return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
    } catch (IOException e) {
      throw new IllegalStateException(b.build().uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** {@code POST /api/v1/rollouts}: one exec step to every enrolled agent. */
  public JsonObject createRollout(String name) {
    return post("/api/v1/rollouts", new JsonObject().put("name", name)
        .put("steps", new JsonArray().add(new JsonObject().put("kind", "exec")
            .put("spec", new JsonObject().put("command", "echo").put("args", new JsonArray().add("load-test")))))
        .put("targets", new JsonObject().put("all", true)));
  }

  /**
   * The real enrollment path for {@code n} agents: one enrollment token, then {@code n}
   * {@code POST /api/v1/enroll} calls, at most {@code parallel} at a time. Yields
   * {@code [[agentId, agentSecret], ...]}.
   */
  public JsonArray enroll(int n, int parallel) {
    JsonObject token = post("/api/v1/enrollment-tokens", new JsonObject()
        .put("expiresAt", Instant.now().plus(Duration.ofHours(1)).toString()).put("maxUses", n)
        .put("tags", new JsonArray().add("load-test")));
    String bearer = token.getString("token");
    Semaphore window = new Semaphore(parallel);
    List<CompletableFuture<JsonArray>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      window.acquireUninterruptibly();
      HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/enroll"))
          .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(60))
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("hostname", "sim-" + i)
              .put("facts", new JsonObject().put("hostname", "sim-" + i).put("os", "linux")).encode()))
          .build();
      calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> window.release())
          .thenApply(r -> {
            if (r.statusCode() != 201) {
              throw new IllegalStateException("enroll -> " + r.statusCode() + ": " + r.body());
            }
            JsonObject j = new JsonObject(r.body());
            return new JsonArray().add(j.getString("agentId")).add(j.getString("agentSecret"));
          }));
    }
    JsonArray out = new JsonArray();
    calls.forEach(c -> out.add(c.join()));
    return out;
  }
}
