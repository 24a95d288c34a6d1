package io.fleetcast.gateway.http;

import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.error.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem: every API error, thrown anywhere in a handler and rendered as
 * {@code application/problem+json} by the router's failure handler.
 */
public final class Problem extends RuntimeException {

  private final int status;
  private final String title;
  private final List<FieldError> errors;
  private final Integer retryAfter;
  private final String reason;
  private final Map<String, String> headers;

  public Problem(int status, String title, String detail, List<FieldError> errors, Integer retryAfter) {
    this(status, title, detail, errors, retryAfter, null, Map.of());
  }

  private Problem(int status, String title, String detail, List<FieldError> errors, Integer retryAfter, String reason,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.retryAfter = retryAfter;
    this.reason = reason;
    this.headers = Map.copyOf(headers);
  }

  /** 429 for an address that sent too many refused credentials (counted apart from the per-token rate limit). */
  public static Problem tooManyFailedAuthentications(int retryAfterSeconds) {
    return new Problem(429, "Too Many Requests", "too many failed authentications from this address; retry after "
        + retryAfterSeconds + " s", null, retryAfterSeconds, "auth_throttled", Map.of());
  }

  /** 405 with the methods the path has ({@code Allow}). */
  public static Problem methodNotAllowed(String method, String path, String allow) {
    return new Problem(405, "Method Not Allowed", method + " is not allowed on " + path + "; allowed: " + allow,
        null, null, "method_not_allowed", Map.of("Allow", allow));
  }

  /** 408: the request did not arrive in time (its connection is closed after the answer). */
  public static Problem requestTimeout(int seconds) {
    return new Problem(408, "Request Timeout", "the request was not received within " + seconds + " s", null, null,
        "timeout", Map.of());
  }

  /** 400 for a request whose framing is ambiguous (Content-Length with Transfer-Encoding). */
  public static Problem badFraming(String detail) {
    return new Problem(400, "Bad Request", detail, null, null, "bad_framing", Map.of());
  }

  /** The problem a domain error is answered with: one status and title per kind. */
  public static Problem from(DomainError e) {
    String detail = e.getMessage();
    return switch (e.kind()) {
      case BAD_REQUEST -> badRequest(detail);
      case INVALID -> new Problem(400, "Invalid request body", detail, e.errors(), null);
      case UNAUTHORIZED -> unauthorized(detail);
      case FORBIDDEN -> forbidden(detail);
      case NOT_FOUND -> notFound(detail);
      case CONFLICT -> conflict(detail);
      case UNAVAILABLE -> unavailable(detail, e.retryAfterSeconds());
      case UPSTREAM_FAILED -> new Problem(502, "Bad Gateway", detail, e.errors(), null);
    };
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "Bad Request", detail, null, null);
  }

  public static Problem invalid(List<FieldError> errors) {
    return new Problem(400, "Invalid request body",
        errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid", errors, null);
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "Unauthorized", detail, null, null);
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "Forbidden", detail, null, null);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not Found", detail, null, null);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "Conflict", detail, null, null);
  }

  public static Problem tooManyRequests(int retryAfterSeconds) {
    return new Problem(429, "Too Many Requests", "rate limit of this token exceeded; retry after "
        + retryAfterSeconds + " s", null, retryAfterSeconds);
  }

  public static Problem unavailable(String detail, int retryAfterSeconds) {
    return new Problem(503, "Service Unavailable", detail, null, retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  /** The {@code fleetcast_api_rejected_total} reason, when it is not the one implied by the status. */
  public String reason() {
    return reason;
  }

  /** Extra response headers (e.g. {@code Allow}). */
  public Map<String, String> headers() {
    return headers;
  }

  public Integer retryAfter() {
    return retryAfter;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject()
        .put("type", "https://fleetcast.io/problems/" + title.toLowerCase().replace(' ', '-'))
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage());
    if (!errors.isEmpty()) {
      JsonArray arr = new JsonArray();
      errors.forEach(e -> arr.add(new JsonObject().put("field", e.field()).put("message", e.message())));
      j.put("errors", arr);
    }
    return j;
  }
}
