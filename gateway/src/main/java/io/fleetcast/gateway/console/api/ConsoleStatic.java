package io.fleetcast.gateway.console.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the console's files (classpath {@code console/}) at {@code /} and {@code /console/*} with
 * a strict Content-Security-Policy: scripts, styles and connections only from this origin, no
 * inline script, no eval, no frames, no plugins. The console needs nothing from another host.
 */
public final class ConsoleStatic {
  /** The policy on every console response (tested: the page works under it, nothing else loads). */
  public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private ConsoleStatic() {}

  public static void mount(Router r) {
    r.get("/").handler(headers()).handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache").sendFile("console/index.html"));
    r.route("/console/*").handler(headers()).handler(StaticHandler.create("console")
        .setCachingEnabled(true).setMaxAgeSeconds(60).setDirectoryListing(false).setIncludeHidden(false)
        .setDefaultContentEncoding("UTF-8"));
  }

  static Handler<RoutingContext> headers() {
    return ctx -> {
      ctx.response().putHeader("Content-Security-Policy", CSP)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("X-Frame-Options", "DENY")
          .putHeader("Referrer-Policy", "no-referrer")
          .putHeader("Cross-Origin-Opener-Policy", "same-origin");
      ctx.next();
    };
  }
}
