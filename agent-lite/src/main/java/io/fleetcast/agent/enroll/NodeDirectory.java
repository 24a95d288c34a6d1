package io.fleetcast.agent.enroll;

import io.fleetcast.protocol.log.Kv;
import io.fleetcast.agent.task.SigningKeys;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Where to connect: asks the gateway's bootstrap on every (re)connect cycle for the best node
 * list and the current signing keys, and falls back to the last known list when the gateway
 * cannot be reached. What bootstrap returns is saved to {@code credentials.json} so that a
 * restart during a gateway outage still knows the nodes. Lives on the agent's context.
 */
public final class NodeDirectory {
  private static final Logger LOG = Logger.getLogger(NodeDirectory.class.getName());

  private final GatewayClient gateway;
  private final CredentialStore store;
  private final WorkerExecutor io;
  private final SigningKeys keys;
  private final List<SigningKey> extraKeys;
  private final boolean persist;
  private final Supplier<Boolean> running;
  private Credentials credentials;
  private boolean gatewayDown;

  public NodeDirectory(GatewayClient gateway, CredentialStore store, WorkerExecutor io, SigningKeys keys,
      List<SigningKey> extraKeys, Credentials credentials, boolean persist, Supplier<Boolean> running) {
    this.gateway = gateway;
    this.store = store;
    this.io = io;
    this.keys = keys;
    this.extraKeys = List.copyOf(extraKeys);
    this.credentials = credentials;
    this.persist = persist;
    this.running = running;
    applyKeys(credentials.signingKeys());
  }

  public Credentials credentials() {
    return credentials;
  }

  public Future<List<String>> nodes() {
    List<String> known = credentials.nodes();
    if (credentials.gatewayUrl() == null) {
      return Future.succeededFuture(known);
    }
    return gateway.bootstrap(credentials.gatewayUrl(), credentials.credential()).map(info -> {
      if (gatewayDown) {
        gatewayDown = false;
        LOG.info(Kv.event("bootstrap.recovered").kv("nodes", info.nodes().size()).toString());
      }
      update(info);
      return info.nodes().isEmpty() ? known : info.nodes();
    }).recover(e -> {
      if (!gatewayDown) {
        gatewayDown = true;
        LOG.warning(Kv.event("bootstrap.failed").kv("reason", e.getMessage()).kv("fallbackNodes", known.size())
            .toString());
      }
      return Future.succeededFuture(known);
    });
  }

  private void update(BootstrapInfo info) {
    Credentials next = credentials;
    if (!info.nodes().isEmpty() && !info.nodes().equals(next.nodes())) {
      next = next.withNodes(info.nodes());
    }
    // an empty key list is ignored: dropping every key would only make the agent reject all tasks
    if (!info.signingKeys().isEmpty() && !info.signingKeys().equals(next.signingKeys())) {
      next = next.withSigningKeys(info.signingKeys());
      applyKeys(next.signingKeys());
      LOG.info(Kv.event("signing.keys.updated").kv("count", next.signingKeys().size()).toString());
    }
    if (next != credentials) {
      credentials = next;
      if (persist && running.get()) {
        Credentials toSave = next;
        io.executeBlocking(() -> {
          store.save(toSave);
          return null;
        }).onFailure(e -> LOG.warning(Kv.event("credentials.save.failed").kv("error", e.getMessage()).toString()));
      }
    }
  }

  private void applyKeys(List<SigningKey> fromServer) {
    List<SigningKey> all = new ArrayList<>(fromServer);
    all.addAll(extraKeys);
    keys.replace(all);
  }
}
