package io.fleetcast.gateway.http;

import io.fleetcast.gateway.auth.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Small helpers shared by the API handlers. */
public final class Http {
  public static final String PRINCIPAL = "principal";
  public static final String JSON = "application/json";
  public static final String PROBLEM_JSON = "application/problem+json";

  private Http() {}

  /** Sends the future's JSON with {@code status}, or routes its failure to the problem handler. */
  public static void reply(RoutingContext ctx, int status, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      if (ctx.response().ended()) {
        return;
      }
      Object body = ar.result();
      ctx.response().setStatusCode(status);
      if (body == null) {
        ctx.response().end();
      } else {
        ctx.response().putHeader("Content-Type", JSON).end(body instanceof JsonObject j ? j.encode() : String.valueOf(body));
      }
    });
  }

  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  public static String remote(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
  }

  /** The body as a JSON object; a clear 400 when it is missing or not JSON. */
  public static JsonObject jsonBody(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw Problem.badRequest("request body must be a JSON object");
    }
    try {
      Object v = io.vertx.core.json.Json.decodeValue(text);
      if (v instanceof JsonObject o) {
        if (containsNul(o, 0)) {
          throw Problem.badRequest("request body: strings must not contain the NUL character (\\u0000)");
        }
        return o;
      }
    } catch (Problem p) {
      throw p;
    } catch (DecodeException | IllegalArgumentException e) {
      throw Problem.badRequest("request body is not valid JSON");
    } catch (RuntimeException e) {
      throw Problem.badRequest("request body could not be parsed (" + e.getClass().getSimpleName() + ")");
    }
    throw Problem.badRequest("request body must be a JSON object");
  }

  /** True when a key or string anywhere in the value holds U+0000, which Postgres text and jsonb cannot store. */
  static boolean containsNul(Object v, int depth) {
    if (v instanceof String s) {
      return s.indexOf('\0') >= 0;
    }
    if (depth > 2000) {
      return false; // the parser bounds nesting far below this
    }
    if (v instanceof JsonObject o) {
      for (java.util.Map.Entry<String, Object> e : o) {
        if (e.getKey().indexOf('\0') >= 0 || containsNul(e.getValue(), depth + 1)) {
          return true;
        }
      }
    } else if (v instanceof io.vertx.core.json.JsonArray a) {
      for (Object x : a) {
        if (containsNul(x, depth + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  public static UUID uuidParam(RoutingContext ctx, String name) {
    String v = ctx.pathParam(name);
    UUID id = io.fleetcast.protocol.AgentIds.parse(v);
    if (id == null) {
      throw Problem.notFound("no such " + name + ": '" + v + "'");
    }
    return id;
  }

  public static int limit(RoutingContext ctx, int dflt, int max) {
    String v = ctx.queryParams().get("limit");
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1 || n > max) {
        throw Problem.badRequest("limit must be between 1 and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw Problem.badRequest("limit must be an integer");
    }
  }

  public static Boolean boolParam(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return null;
    }
    if (v.equals("true") || v.equals("false")) {
      return Boolean.valueOf(v);
    }
    throw Problem.badRequest(name + " must be true or false");
  }
}
