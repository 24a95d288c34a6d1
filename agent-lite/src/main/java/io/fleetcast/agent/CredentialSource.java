package io.fleetcast.agent;

import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.connection.Backoff;
import io.fleetcast.agent.connection.TransportPolicy;
import io.fleetcast.agent.enroll.CredentialStore;
import io.fleetcast.agent.enroll.Credentials;
import io.fleetcast.agent.enroll.GatewayClient;
import io.fleetcast.agent.enroll.GatewayException;
import io.fleetcast.agent.facts.FactsProvider;
import io.fleetcast.protocol.log.Kv;
import io.fleetcast.protocol.Facts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/** Where an agent's credentials come from at start: the options, the state dir, or an enrollment. */
final class CredentialSource {
  private static final Logger LOG = Logger.getLogger(AgentLite.class.getName());

  private final Vertx vertx;
  private final AgentOptions options;
  private final WorkerExecutor worker;
  private final Path stateRoot;
  private final BooleanSupplier running;

  /** @param running false once the agent is stopping: an enrollment still retrying gives up */
  CredentialSource(Vertx vertx, AgentOptions options, WorkerExecutor worker, Path stateRoot, BooleanSupplier running) {
    this.vertx = vertx;
    this.options = options;
    this.worker = worker;
    this.stateRoot = stateRoot;
    this.running = running;
  }

  /** Explicit credentials win; else those on disk; else enroll (retrying while the gateway is unreachable). */
  Future<Credentials> credentials(Credentials stored, CredentialStore store, FactsProvider provider) {
    if (options.agentId() != null) {
      return Future.succeededFuture(new Credentials(options.agentId(), options.agentSecret(), options.gatewayUrl(),
          options.nodeUrls(), List.of(), List.of(), null, null));
    }
    if (stored != null) {
      LOG.info(Kv.event("credentials.loaded").kv("agentId", stored.agentId()).toString());
      return Future.succeededFuture(stored);
    }
    if (options.enrollmentToken() == null) {
      return Future.failedFuture(new IllegalStateException("state dir " + stateRoot
          + " holds no credentials: enroll with an enrollment token (--enroll-token) first"));
    }
    TransportPolicy policy = new TransportPolicy(options.dev(), options.pinSha256(), options.verifyHost());
    HttpClient http = vertx.createHttpClient(policy.apply(new HttpClientOptions(), false));
    GatewayClient gateway = new GatewayClient(http, policy, options.connectTimeout());
    Backoff backoff = new Backoff(options.backoffBase(), options.backoffCap());
    return worker.executeBlocking(provider::collect, false)
        .compose(f -> enroll(gateway, f, backoff))
        .compose(c -> worker.executeBlocking(() -> {
          store.save(c);
          return c;
        }))
        .onSuccess(c -> LOG.info(Kv.event("enrolled").kv("agentId", c.agentId()).kv("nodes", c.nodes().size())
            .kv("signingKeys", c.signingKeys().size()).toString()))
        .eventually(http::close);
  }

  private Future<Credentials> enroll(GatewayClient gateway, Facts f, Backoff backoff) {
    if (!running.getAsBoolean()) {
      return Future.failedFuture("stopped while enrolling");
    }
    Facts withTags = new Facts(f.hostname(), f.os(), f.arch(), f.ips(), f.macs(), f.subnets(), options.tags(),
        f.users());
    // compose: a client closed meanwhile throws instead of failing the future
    return Future.<Void>succeededFuture()
        .compose(v -> gateway.enroll(options.gatewayUrl(), options.enrollmentToken(), f.hostname(), withTags))
        .recover(e -> {
      if (e instanceof GatewayException ge && ge.permanent()) {
        return Future.failedFuture(new IllegalStateException("enrollment refused: " + ge.getMessage()));
      }
      long delay = backoff.nextDelayMillis();
      LOG.warning(Kv.event("enroll.failed").kv("reason", e.getMessage()).kv("retryInMillis", delay).toString());
      Promise<Credentials> later = Promise.promise();
      vertx.setTimer(Math.max(1, delay), id -> enroll(gateway, f, backoff).onComplete(later));
      return later.future();
    });
  }
}
