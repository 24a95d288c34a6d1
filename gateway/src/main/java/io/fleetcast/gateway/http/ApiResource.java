package io.fleetcast.gateway.http;

/**
 * An API resource of a feature: registers its own routes, each with the role it needs. The
 * router and the role table are assembled from the list of resources the app hands to
 * {@link ApiServer#router}; adding a route touches only its resource (and docs/security.md).
 */
@FunctionalInterface
public interface ApiResource {
  void mount(RouteTable routes);
}
