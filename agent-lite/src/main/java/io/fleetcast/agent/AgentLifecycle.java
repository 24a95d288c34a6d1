package io.fleetcast.agent;

import io.fleetcast.protocol.log.Kv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.logging.Logger;

/**
 * Start, stop and halt of one agent, on its context: start opens the state and wires the parts, then
 * starts connecting (the connector reconnects by itself); stop drains running tasks before closing the
 * connection; halt ends the agent as a killed process would (no goodbye, nothing acknowledged).
 */
final class AgentLifecycle {
  private static final Logger LOG = Logger.getLogger(AgentLifecycle.class.getName());

  private final AgentAssembly parts;
  private final Promise<Void> stopped = Promise.promise();

  private volatile boolean connected;
  private volatile boolean running;
  private boolean halted;
  private long factsTimer = -1;

  AgentLifecycle(AgentAssembly parts) {
    this.parts = parts;
  }

  boolean halted() {
    return halted;
  }

  boolean connected() {
    return connected;
  }

  void connected(boolean up) {
    connected = up;
  }

  Future<Void> stopped() {
    return stopped.future();
  }

  Future<Void> start() {
    if (running) {
      return Future.failedFuture("already started");
    }
    try {
      parts.options.validate();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    running = true;
    return parts.openState(() -> running)
        .compose(creds -> {
          parts.wire(creds, () -> running, p -> new FrameRouter(p, this));
          return parts.recover();
        })
        .onSuccess(v -> connect())
        .onFailure(e -> {
          LOG.severe(Kv.event("agent.start.failed").kv("error", e.getMessage()).toString());
          running = false;
          closeResources();
        });
  }

  private void connect() {
    parts.connector.start();
    factsTimer = parts.vertx.setPeriodic(Math.max(1000, parts.options.factsInterval().toMillis()), id -> {
      if (!halted) {
        parts.factsOut.refresh();
      }
    });
    LOG.info(Kv.event("agent.started").kv("agentId", parts.agentId).kv("version", parts.options.version())
        .kv("stateDir", parts.state.root()).kv("dev", parts.options.dev())
        .kv("pendingResults", parts.resultStore.size()).toString());
  }

  /** Drops the connection, stops touching the state dir and acknowledges nothing more. */
  void halt() {
    if (halted) {
      return;
    }
    halted = true;
    LOG.warning(Kv.event("agent.crash.simulated").kv("agentId", parts.agentId).toString());
    parts.connector.halt();
    connected = false;
    // closing the client drops its connections underneath the session: no goodbye, no further frames
    parts.wsClient.close().eventually(() -> {
      running = false;
      closeResources();
      return Future.succeededFuture();
    }).onComplete(ar -> finishStop());
  }

  Future<Void> stop() {
    if (!running) {
      return Future.succeededFuture();
    }
    running = false;
    if (factsTimer >= 0) {
      parts.vertx.cancelTimer(factsTimer);
    }
    Future<Void> drained = parts.tasks == null ? Future.succeededFuture()
        : parts.tasks.stopAll(parts.options.killGrace().toMillis() + 3000);
    return drained.compose(v -> parts.connector == null ? Future.succeededFuture() : parts.connector.stop())
        .eventually(() -> {
          halted = true;
          connected = false;
          closeResources();
          return Future.succeededFuture();
        })
        .onComplete(ar -> finishStop());
  }

  private void finishStop() {
    LOG.info(Kv.event("agent.stopped").kv("agentId", parts.agentId).toString());
    if (stopped.tryComplete()) {
      parts.listener.onStopped();
    }
  }

  private void closeResources() {
    if (factsTimer >= 0) {
      parts.vertx.cancelTimer(factsTimer);
      factsTimer = -1;
    }
    parts.close();
  }
}
