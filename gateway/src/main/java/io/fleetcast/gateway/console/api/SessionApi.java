package io.fleetcast.gateway.console.api;

import io.fleetcast.gateway.console.SessionStore;

import io.fleetcast.gateway.http.Access;
import io.fleetcast.gateway.http.ApiServer;
import io.fleetcast.gateway.http.AuthThrottle;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.ApiTokens;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.auth.Role;
import io.fleetcast.gateway.auth.Session;
import io.fleetcast.gateway.error.FieldError;
import io.fleetcast.gateway.http.ApiResource;
import io.fleetcast.gateway.http.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * {@code /api/v1/session}: exchange an API token for a console session (sign-in), show it, end it
 * (sign-out). Sign-in and sign-out are mounted before authentication: sign-in authenticates the
 * token in its body, sign-out the cookie plus the CSRF header.
 */
public final class SessionApi implements ApiResource {
  private final SessionStore sessions;
  private final ApiTokens tokens;
  private final AuditLog audit;
  private final boolean secureCookie;
  private final AuthThrottle throttle;

  /** A sign-in body: {@code {"token": "..."}} with room to spare. */
  static final int SIGN_IN_BYTES = 2048;

  public SessionApi(SessionStore sessions, ApiTokens tokens, AuditLog audit, boolean secureCookie,
      AuthThrottle throttle) {
    this.throttle = throttle;
    this.sessions = sessions;
    this.tokens = tokens;
    this.audit = audit;
    this.secureCookie = secureCookie;
  }

  /**
   * Sign-in and sign-out authenticate themselves (open routes, before the API's bearer check). The
   * sign-in body carries the credential, so it is the one body read before authentication: at most
   * {@link #SIGN_IN_BYTES}, from an address the failed-authentication throttle lets through.
   */
  @Override
  public void mount(RouteTable routes) {
    routes.open(HttpMethod.POST, "/api/v1/session", this::throttled, ApiServer.bodyHandler(SIGN_IN_BYTES),
        this::signIn);
    routes.open(HttpMethod.DELETE, "/api/v1/session", this::signOut);
    routes.get("/api/v1/session", Role.VIEWER, this::show);
  }

  private void throttled(RoutingContext ctx) {
    int blocked = throttle.retryAfter(Http.remote(ctx));
    if (blocked > 0) {
      throw Problem.tooManyFailedAuthentications(blocked);
    }
    ctx.next();
  }

  private void signIn(RoutingContext ctx) {
    JsonObject body = Http.jsonBody(ctx);
    Object token = body.getValue("token");
    if (!(token instanceof String t) || t.isBlank() || t.length() > 512 || body.size() != 1) {
      throw Problem.invalid(java.util.List.of(new FieldError("token", "must be an API token (fct_...)")));
    }
    Http.reply(ctx, 201, tokens.authenticate(t.trim()).compose(p -> {
      if (p.isEmpty()) {
        throttle.failed(Http.remote(ctx));
        return Future.failedFuture(Problem.unauthorized("unknown or revoked API token"));
      }
      Principal who = p.get();
      return sessions.pool().withTransaction(tx -> sessions.create(tx, who, Http.remote(ctx))
          .compose(s -> audit.append(tx, who.actor(), who.role().wire(), "session.create", who.tokenId(),
              Http.remote(ctx), null).map(seq -> s)));
    }).map(s -> {
      ctx.response().addCookie(cookie(s.id()).setMaxAge(sessions.idle().toSeconds() * 48));
      return describe(s.principal(), s.csrf());
    }));
  }

  private void show(RoutingContext ctx) {
    Principal p = Http.principal(ctx);
    Cookie c = ctx.request().getCookie(Access.SESSION_COOKIE);
    if (c == null || ctx.request().getHeader("Authorization") != null) {
      Http.reply(ctx, 200, Future.succeededFuture(describe(p, null)));
      return;
    }
    Http.reply(ctx, 200, sessions.resolve(c.getValue())
        .map(s -> describe(p, s.map(Session::csrf).orElse(null))));
  }

  private void signOut(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(Access.SESSION_COOKIE);
    if (c == null || c.getValue().length() > 128) {
      throw Problem.unauthorized("no console session to sign out of");
    }
    String sent = ctx.request().getHeader(Access.CSRF_HEADER);
    Http.reply(ctx, 204, sessions.resolve(c.getValue()).compose(s -> {
      if (s.isEmpty()) {
        return Future.failedFuture(Problem.unauthorized("the console session has expired or was signed out"));
      }
      if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
          s.get().csrf().getBytes(StandardCharsets.UTF_8))) {
        return Future.failedFuture(Problem.forbidden("missing or wrong " + Access.CSRF_HEADER + " header"));
      }
      Principal who = s.get().principal();
      return sessions.pool().withTransaction(tx -> sessions.delete(tx, c.getValue())
          .compose(x -> audit.append(tx, who.actor(), who.role().wire(), "session.delete", who.tokenId(),
              Http.remote(ctx), null)));
    }).map(x -> {
      ctx.response().addCookie(cookie("").setMaxAge(0));
      return null;
    }));
  }

  private JsonObject describe(Principal p, String csrf) {
    return new JsonObject().put("tokenId", p.tokenId()).put("name", p.name()).put("role", p.role().wire())
        .put("csrf", csrf).put("idleSeconds", sessions.idle().toSeconds());
  }

  private Cookie cookie(String value) {
    return Cookie.cookie(Access.SESSION_COOKIE, value).setPath("/").setHttpOnly(true).setSecure(secureCookie)
        .setSameSite(CookieSameSite.STRICT);
  }
}
