package io.fleetcast.fleetctl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.fleetcast.fleetctl.output.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The ops REST API over {@link HttpClient}: JSON in and out, problems turned into {@link ApiException}. */
public final class ApiClient {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final String baseUrl;
  private final String token;
  private final HttpClient http;

  public ApiClient(String baseUrl, String token) {
    this.baseUrl = stripSlash(baseUrl);
    this.token = token;
    // HTTP/1.1: no h2c upgrade dance on plain http, and SSE streams stay simple
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  public JsonNode get(String path, Map<String, ?> query) {
    return send(request(path, query).GET());
  }

  public JsonNode get(String path) {
    return get(path, Map.of());
  }

  public JsonNode post(String path, JsonNode body) {
    String text = body == null ? "{}" : Json.compact(body);
    return send(request(path, Map.of()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  public JsonNode put(String path, JsonNode body) {
    return send(request(path, Map.of()).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : Json.compact(body))));
  }

  /** Streams a file as the raw request body (package uploads); never read into memory. */
  public JsonNode upload(String path, Map<String, ?> query, java.nio.file.Path file) {
    try {
      return send(request(path, query).timeout(Duration.ofHours(2)).header("Content-Type", "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofFile(file)));
    } catch (java.io.FileNotFoundException e) {
      throw new ApiException(0, "No such file", "cannot read " + file, List.of());
    }
  }

  public JsonNode delete(String path) {
    return send(request(path, Map.of()).DELETE());
  }

  /**
   * Opens a Server-Sent Events stream; fails with {@link ApiException} when the server
   * answers with an error instead. The caller reads it with a timeout and closes it.
   */
  public EventStream events(String path) {
    HttpRequest req = request(path, Map.of()).header("Accept", "text/event-stream").GET().build();
    HttpResponse<Stream<String>> res = exchange(req, HttpResponse.BodyHandlers.ofLines());
    if (res.statusCode() / 100 != 2) {
      try (Stream<String> body = res.body()) {
        throw problem(res.statusCode(), body.collect(Collectors.joining("\n")));
      }
    }
    return new EventStream(res.body());
  }

  private HttpRequest.Builder request(String path, Map<String, ?> query) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path + queryString(query)))
        .header("Accept", "application/json")
        .header("User-Agent", "fleetctl/0.1.0");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (!path.endsWith("/events")) {
      b.timeout(REQUEST_TIMEOUT);
    }
    return b;
  }

  private JsonNode send(HttpRequest.Builder builder) {
    HttpResponse<String> res = exchange(builder.build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() / 100 != 2) {
      throw problem(res.statusCode(), res.body());
    }
    String body = res.body();
    if (body == null || body.isBlank()) {
      return NullNode.getInstance();
    }
    try {
      return Json.parse(body);
    } catch (IllegalArgumentException e) {
      throw new ApiException(res.statusCode(), "Unreadable answer", "the server did not answer JSON: "
          + abbreviate(body), List.of());
    }
  }

  private <T> HttpResponse<T> exchange(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(req, handler);
    } catch (HttpConnectTimeoutException e) {
      throw ApiException.unreachable(baseUrl, "connection timed out");
    } catch (HttpTimeoutException e) {
      throw ApiException.unreachable(baseUrl, "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
    } catch (ConnectException e) {
      throw ApiException.unreachable(baseUrl, "connection refused");
    } catch (IOException e) {
      throw ApiException.unreachable(baseUrl, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unreachable(baseUrl, "interrupted");
    }
  }

  /** Reads an RFC 9457 body; anything else still gives a readable error with the HTTP status. */
  static ApiException problem(int status, String body) {
    JsonNode json;
    try {
      json = body == null || body.isBlank() ? null : Json.parse(body);
    } catch (IllegalArgumentException e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      return new ApiException(status, "HTTP " + status, body == null || body.isBlank() ? null : abbreviate(body),
          List.of());
    }
    List<ApiException.FieldError> errors = new ArrayList<>();
    for (JsonNode e : json.path("errors")) {
      errors.add(new ApiException.FieldError(e.path("field").asText(""), e.path("message").asText("")));
    }
    String title = json.path("title").asText("HTTP " + status);
    String detail = json.hasNonNull("detail") ? json.get("detail").asText() : null;
    return new ApiException(status, title, detail, errors);
  }

  private static String queryString(Map<String, ?> query) {
    Map<String, String> present = new LinkedHashMap<>();
    query.forEach((k, v) -> {
      if (v != null) {
        present.put(k, String.valueOf(v));
      }
    });
    if (present.isEmpty()) {
      return "";
    }
    return "?" + present.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Encodes one path segment (an id typed by the user). */
  public static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String stripSlash(String url) {
    String u = url.trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    if (u.endsWith("/api/v1")) {
      u = u.substring(0, u.length() - "/api/v1".length());
    }
    return u;
  }

  private static String abbreviate(String s) {
    String one = s.strip().replaceAll("\\s+", " ");
    return one.length() > 300 ? one.substring(0, 300) + "..." : one;
  }
}
