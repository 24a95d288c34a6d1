package io.fleetcast.gateway.http;

import io.fleetcast.gateway.auth.ApiTokens;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.auth.Sessions;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * Authentication, rate limiting and role checks of the ops API. Credentials are checked from the
 * headers alone, before any body is read; an address that keeps sending refused credentials is
 * throttled ({@link AuthThrottle}) before its next one costs a lookup.
 */
public final class Access {
  /** The console's session cookie; an alternative to the bearer token (see console.SessionStore). */
  public static final String SESSION_COOKIE = "fleetcast_session";
  /** Header a cookie-authenticated mutating call must carry with the session's CSRF token. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private final ApiTokens tokens;
  private final RateLimiter limiter;
  private final AuthThrottle throttle;
  private final GatewayMetrics metrics;
  private Sessions sessions;

  public Access(ApiTokens tokens, RateLimiter limiter, AuthThrottle throttle, GatewayMetrics metrics) {
    this.tokens = tokens;
    this.limiter = limiter;
    this.throttle = throttle;
    this.metrics = metrics;
  }

  public AuthThrottle throttle() {
    return throttle;
  }

  /** Accepts console session cookies besides bearer tokens. */
  public Access withSessions(Sessions s) {
    this.sessions = s;
    return this;
  }

  /** Resolves the bearer token to a principal (401 otherwise), then applies the token's rate limit (429). */
  public Handler<RoutingContext> authenticate() {
    return ctx -> {
      String h = ctx.request().getHeader("Authorization");
      Cookie cookie = h == null && sessions != null ? ctx.request().getCookie(SESSION_COOKIE) : null;
      if (cookie != null && cookie.getValue().length() <= 128) {
        bySession(ctx, cookie.getValue());
        return;
      }
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
          admit(ctx, ar.result().get());
        }
      });
    };
  }

  /**
   * A session cookie authenticates like its token; a call that changes something must also carry
   * the session's CSRF token in a header (SameSite=Strict already keeps other sites' requests
   * from sending the cookie; the header is the second lock).
   */
  private void bySession(RoutingContext ctx, String id) {
    sessions.resolve(id).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result().isEmpty()) {
        ctx.fail(Problem.unauthorized("the console session has expired or was signed out; sign in again"));
      } else {
        String method = ctx.request().method().name();
        String sent = ctx.request().getHeader(CSRF_HEADER);
        if (!method.equals("GET") && !method.equals("HEAD") && (sent == null
            || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                ar.result().get().csrf().getBytes(StandardCharsets.UTF_8)))) {
          ctx.fail(Problem.forbidden("missing or wrong " + CSRF_HEADER + " header for a session-authenticated call"));
          return;
        }
        admit(ctx, ar.result().get().principal());
      }
    });
  }

  private void admit(RoutingContext ctx, Principal p) {
    int wait = limiter.acquire(p.tokenId());
    if (wait > 0) {
      ctx.fail(Problem.tooManyRequests(wait));
      return;
    }
    ctx.put(Http.PRINCIPAL, p);
    ctx.next();
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
