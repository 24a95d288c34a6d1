package io.fleetcast.agent.tags;

import io.fleetcast.agent.enroll.Credentials;
import io.fleetcast.agent.enroll.GatewayClient;
import io.vertx.core.Future;
import java.util.List;

/**
 * Asks the gateway ({@code GET /agent/v1/self}, agent credential, over the same pinned TLS as
 * bootstrap): the gateway signs the tasks, so what it says about the agent's tags is trusted.
 */
public final class GatewayTagSource implements TrustedTagSource {
  private final GatewayClient gateway;
  private final Credentials credentials;

  public GatewayTagSource(GatewayClient gateway, Credentials credentials) {
    this.gateway = gateway;
    this.credentials = credentials;
  }

  @Override
  public Future<List<String>> fetch() {
    if (credentials.gatewayUrl() == null) {
      return Future.failedFuture("no gateway URL known: assigned tags cannot be learned");
    }
    return gateway.selfTags(credentials.gatewayUrl(), credentials.credential());
  }
}
