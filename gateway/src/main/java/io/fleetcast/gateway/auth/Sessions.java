package io.fleetcast.gateway.auth;

import io.vertx.core.Future;
import java.util.Optional;

/** Resolves a session cookie value (empty when unknown, expired or its token revoked). */
public interface Sessions {
  Future<Optional<Session>> resolve(String id);
}
