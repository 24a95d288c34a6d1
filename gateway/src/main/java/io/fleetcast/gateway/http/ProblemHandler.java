package io.fleetcast.gateway.http;

import io.fleetcast.common.log.Kv;
import io.fleetcast.gateway.error.DomainError;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one failure handler: renders every failure as {@code application/problem+json} (HTTP problems
 * as they are, domain errors through {@link Problem#from}) and counts it; never leaks a stack trace.
 */
final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger LOG = Logger.getLogger(ProblemHandler.class.getName());
  private final GatewayMetrics metrics;

  ProblemHandler(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    Throwable f = ctx.failure();
    Problem p;
    if (f instanceof Problem pr) {
      p = pr;
    } else if (f instanceof DomainError de) {
      p = Problem.from(de);
    } else if (f instanceof HttpException he) {
      p = fromStatus(he.getStatusCode(), he.getPayload());
    } else if (f == null) {
      p = fromStatus(ctx.statusCode(), null);
    } else if (f instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
        && pg.getSqlState().startsWith("22")) {
      // class 22, data exception: a value from the request that Postgres cannot take (format, range, NUL)
      p = Problem.badRequest("a value has the wrong format or is out of range: " + pg.getErrorMessage());
    } else {
      LOG.log(Level.WARNING, Kv.event("api.internal_error", "path", ctx.request().path()), f);
      p = new Problem(500, "Internal Server Error", "the server could not complete the request", null, null);
    }
    if (p.reason() != null) {
      metrics.rejected(p.reason());
    } else if (p.status() == 401 || p.status() == 403 || p.status() == 429 || p.status() == 400 || p.status() == 413) {
      metrics.rejected(switch (p.status()) {
        case 401 -> "unauthorized";
        case 403 -> "forbidden";
        case 429 -> "rate_limited";
        case 413 -> "too_large";
        default -> "invalid";
      });
    }
    p.headers().forEach(ctx.response()::putHeader);
    if (p.retryAfter() != null) {
      ctx.response().putHeader("Retry-After", String.valueOf(p.retryAfter()));
    }
    if (p.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    ctx.response().setStatusCode(p.status()).putHeader("Content-Type", Http.PROBLEM_JSON).end(p.toJson().encode());
  }

  static Problem fromStatus(int status, String detail) {
    return switch (status) {
      case 400 -> Problem.badRequest(detail == null ? "bad request" : detail);
      case 401 -> Problem.unauthorized("missing or invalid bearer token");
      case 403 -> Problem.forbidden("not allowed");
      case 404 -> Problem.notFound("no such resource");
      case 405 -> new Problem(405, "Method Not Allowed", "method not allowed on this resource", null, null);
      case 413 -> new Problem(413, "Payload Too Large", "request body is larger than allowed", null, null);
      case 415 -> new Problem(415, "Unsupported Media Type", "send application/json", null, null);
      default -> new Problem(status <= 0 ? 500 : status, "Error", detail == null ? "request failed" : detail, null, null);
    };
  }
}
