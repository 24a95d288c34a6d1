package io.fleetcast.gateway.console;

import io.fleetcast.gateway.api.Access;
import io.fleetcast.gateway.api.ApiRoutes;
import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.ApiTokens;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** The operator's console: its files, sessions (sign-in/out) and the read models only it needs. */
public final class ConsoleModule {
  private final Vertx vertx;
  private final SessionStore sessions;
  private final ApiTokens tokens;
  private final AuditLog audit;
  private final boolean secure;
  private final OverviewApi overview;
  private long purgeTimer = -1;

  public ConsoleModule(Vertx vertx, Pool pool, ApiTokens tokens, AuditLog audit, ConsoleSettings settings) {
    this.vertx = vertx;
    this.sessions = new SessionStore(pool, settings.sessionIdle());
    this.secure = settings.secureCookies();
    this.tokens = tokens;
    this.audit = audit;
    this.overview = new OverviewApi(pool);
  }

  /** Mounts the console and its endpoints; session cookies become an alternative to bearer tokens. */
  public void mount(ApiRoutes routes, Access access) {
    access.withSessions(sessions);
    SessionApi sessionApi = new SessionApi(sessions, tokens, audit, secure, access.throttle());
    routes.withOpen(ConsoleStatic::mount).withOpen(sessionApi::mountOpen);
    routes.with(sessionApi::mount).with(overview::mount);
    purgeTimer = vertx.setPeriodic(60_000, t -> sessions.purgeExpired());
  }

  public void stop() {
    vertx.cancelTimer(purgeTimer);
  }
}
