package io.fleetcast.gateway.console.api;

import io.fleetcast.gateway.audit.AuditLog;
import io.fleetcast.gateway.auth.ApiTokens;
import io.fleetcast.gateway.console.ConsoleSettings;
import io.fleetcast.gateway.console.SessionStore;
import io.fleetcast.gateway.http.Access;
import io.fleetcast.gateway.http.ApiResource;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;

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

  /**
   * The console's files and endpoints, to mount; session cookies become an alternative to bearer
   * tokens from here on.
   */
  public List<ApiResource> resources(Access access) {
    access.withSessions(sessions);
    purgeTimer = vertx.setPeriodic(60_000, t -> sessions.purgeExpired());
    return List.of(routes -> routes.open(ConsoleStatic::mount),
        new SessionApi(sessions, tokens, audit, secure, access.throttle()), overview);
  }

  public void stop() {
    vertx.cancelTimer(purgeTimer);
  }
}
