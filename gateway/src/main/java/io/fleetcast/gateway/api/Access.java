package io.fleetcast.gateway.api;

import io.fleetcast.gateway.auth.ApiTokens;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Authentication, rate limiting and role checks of the ops API. Credentials are checked from the
 * headers alone, before any body is read; an address that keeps sending refused credentials is
 * throttled ({@link AuthThrottle}) before its next one costs a lookup.
 */
public final class Access {
  private final ApiTokens tokens;
  private final RateLimiter limiter;
  private final AuthThrottle throttle;
  private final GatewayMetrics metrics;

  public Access(ApiTokens tokens, RateLimiter limiter, AuthThrottle throttle, GatewayMetrics metrics) {
    this.tokens = tokens;
    this.limiter = limiter;
    this.throttle = throttle;
    this.metrics = metrics;
  }

  public AuthThrottle throttle() {
    return throttle;
  }

  /** Resolves the bearer token to a principal (401 otherwise), then applies the token's rate limit (429). */
  public Handler<RoutingContext> authenticate() {
    return ctx -> {
      String h = ctx.request().getHeader("Authorization");
      if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7) || h.length() > 512) {
        ctx.fail(Problem.unauthorized("send Authorization: Bearer <api token>"));
        return;
      }
      String token = h.substring(7).trim();
      String remote = Http.remote(ctx);
      int blocked = tokens.knownValid(token) ? 0 : throttle.retryAfter(remote);
      if (blocked > 0) {
        ctx.fail(Problem.tooManyFailedAuthentications(blocked));
        return;
      }
      tokens.authenticate(token).onComplete(ar -> {
        if (ar.failed()) {
          ctx.fail(ar.cause());
        } else if (ar.result().isEmpty()) {
          throttle.failed(remote);
          metrics.authFailure("api_token");
          ctx.fail(Problem.unauthorized("unknown or revoked API token"));
        } else {
          Principal p = ar.result().get();
          int wait = limiter.acquire(p.tokenId());
          if (wait > 0) {
            ctx.fail(Problem.tooManyRequests(wait));
            return;
          }
          ctx.put(Http.PRINCIPAL, p);
          ctx.next();
        }
      });
    };
  }

  /** Lets the request through only for {@code role} or higher. */
  public static Handler<RoutingContext> require(Role role) {
    return ctx -> {
      Principal p = Http.principal(ctx);
      if (p == null || !p.role().atLeast(role)) {
        ctx.fail(Problem.forbidden("this call needs the " + role.wire() + " role; the token has "
            + (p == null ? "none" : p.role().wire())));
        return;
      }
      ctx.next();
    };
  }
}
