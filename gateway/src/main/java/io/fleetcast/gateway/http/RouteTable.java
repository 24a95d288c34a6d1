package io.fleetcast.gateway.http;

import io.fleetcast.gateway.auth.Role;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The routes API resources register, collected before the router is built so that
 * {@link ApiServer} can mount each kind at its place in the request pipeline: streaming uploads
 * before the body is buffered, open routes (agent entry points, console sign-in) before bearer
 * authentication, and role-checked routes after it. The role of every checked route is kept:
 * {@link #roles()} is the role table of docs/security.md.
 */
public final class RouteTable {

  /** Where in the pipeline a route is mounted. */
  enum Stage {
    /** Reads its own body as a stream; authenticated by the route itself, before it reads. */
    STREAMING,
    /** Before bearer authentication: the route checks whatever credential it needs itself. */
    OPEN,
    /** After authentication and the buffering body handler, behind a role check. */
    CHECKED
  }

  private record Mount(Stage stage, Consumer<Router> mount) {}

  private final Access access;
  private final List<Mount> mounts = new ArrayList<>();
  private final Map<String, Role> roles = new TreeMap<>();

  RouteTable(Access access) {
    this.access = access;
  }

  @SafeVarargs
  public final RouteTable get(String path, Role role, Handler<RoutingContext>... handlers) {
    return checked(HttpMethod.GET, path, role, handlers);
  }

  @SafeVarargs
  public final RouteTable post(String path, Role role, Handler<RoutingContext>... handlers) {
    return checked(HttpMethod.POST, path, role, handlers);
  }

  @SafeVarargs
  public final RouteTable put(String path, Role role, Handler<RoutingContext>... handlers) {
    return checked(HttpMethod.PUT, path, role, handlers);
  }

  @SafeVarargs
  public final RouteTable patch(String path, Role role, Handler<RoutingContext>... handlers) {
    return checked(HttpMethod.PATCH, path, role, handlers);
  }

  @SafeVarargs
  public final RouteTable delete(String path, Role role, Handler<RoutingContext>... handlers) {
    return checked(HttpMethod.DELETE, path, role, handlers);
  }

  /**
   * A route mounted before authentication (agent entry points, sign-in, content served to
   * agents): its handlers check the credential they need, before any body is read.
   */
  @SafeVarargs
  public final RouteTable open(HttpMethod method, String path, Handler<RoutingContext>... handlers) {
    mounts.add(new Mount(Stage.OPEN, r -> chain(r.route(method, path), handlers)));
    return this;
  }

  /** Routes mounted before authentication by the resource itself (static files). */
  public RouteTable open(Consumer<Router> mount) {
    mounts.add(new Mount(Stage.OPEN, mount));
    return this;
  }

  /**
   * A route that reads its own body as a stream (package uploads): {@code beforeAuth} runs first
   * (it keeps the body in the socket), then authentication and the role check, then
   * {@code handler}; nothing is read from an unauthenticated request.
   */
  public RouteTable streaming(HttpMethod method, String path, Role role, Handler<RoutingContext> beforeAuth,
      Handler<RoutingContext> handler) {
    roles.put(key(method, path), role);
    mounts.add(new Mount(Stage.STREAMING, r -> r.route(method, path).handler(beforeAuth)
        .handler(access.authenticate()).handler(Access.require(role)).handler(handler)));
    return this;
  }

  /** The throttle of refused credentials, for open routes that check credentials themselves. */
  public AuthThrottle throttle() {
    return access.throttle();
  }

  /** Route key ({@code "METHOD /path/{param}"}) to the least role that may call it. */
  public Map<String, Role> roles() {
    return Collections.unmodifiableMap(roles);
  }

  void mount(Stage stage, Router router) {
    mounts.stream().filter(m -> m.stage() == stage).forEach(m -> m.mount().accept(router));
  }

  private RouteTable checked(HttpMethod method, String path, Role role, Handler<RoutingContext>[] handlers) {
    roles.put(key(method, path), role);
    mounts.add(new Mount(Stage.CHECKED, r -> chain(r.route(method, path).handler(Access.require(role)), handlers)));
    return this;
  }

  private static void chain(io.vertx.ext.web.Route route, Handler<RoutingContext>[] handlers) {
    for (Handler<RoutingContext> h : handlers) {
      route.handler(h);
    }
  }

  private static String key(HttpMethod method, String path) {
    return method.name() + " " + path.replaceAll(":([A-Za-z]+)", "{$1}");
  }
}
