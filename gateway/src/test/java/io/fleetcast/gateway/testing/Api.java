package io.fleetcast.gateway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import io.vertx.core.json.JsonObject;

/** A blocking HTTP client for tests (JDK HttpClient: test threads may block, event loops never do). */
public final class Api {
  /** A response: status, body and headers. */
  public record Res(int status, String body, HttpResponse<String> raw) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;
  private final HttpClient client;

  public Api(String base, String token) {
    this(base, token, CLIENT);
  }

  /** With its own client, e.g. one that trusts a test CA for https. */
  public Api(String base, String token, HttpClient client) {
    this.base = base;
    this.token = token;
    this.client = client;
  }

  public Api as(String otherToken) {
    return new Api(base, otherToken, client);
  }

  public Res get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Res post(String path, Object body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString())));
  }

  public Res put(String path, Object body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString())));
  }

  public Res patch(String path, Object body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString())));
  }

  public Res delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  private Res send(HttpRequest.Builder b) {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Res(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates an enrollment token and enrolls {@code n} agents; yields their enrollment answers. */
  public java.util.List<JsonObject> enroll(int n, String... tags) {
    JsonObject tok = post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", n)
        .put("tags", new io.vertx.core.json.JsonArray(java.util.List.of(tags)))).json();
    Api enroller = as(tok.getString("token"));
    java.util.List<JsonObject> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Res r = enroller.post("/api/v1/enroll", new JsonObject().put("hostname", "host-" + i));
      if (r.status() != 201) {
        throw new IllegalStateException("enroll failed: " + r.status() + " " + r.body());
      }
      out.add(r.json());
    }
    return out;
  }
}
