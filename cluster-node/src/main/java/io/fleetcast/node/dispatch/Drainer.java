package io.fleetcast.node.dispatch;

import io.fleetcast.common.bus.ControlReply;
import io.fleetcast.common.log.Kv;
import io.fleetcast.node.agent.AgentSession;
import io.fleetcast.node.agent.SessionTable;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Moves a node's agents away for a rolling upgrade: the node stops taking new agents and
 * sends {@code reconnect} to its agents at a bounded pace, each with a small random delay,
 * so the rest of the cluster absorbs them smoothly.
 */
public final class Drainer {
  private static final Logger LOG = Logger.getLogger(Drainer.class.getName());

  private final Vertx vertx;
  private final SessionTable sessions;
  private volatile boolean draining;
  private long timerId = -1;

  public Drainer(Vertx vertx, SessionTable sessions) {
    this.vertx = vertx;
    this.sessions = sessions;
  }

  public boolean draining() {
    return draining;
  }

  public ControlReply.DrainStatus start(int perSecond, String url) {
    if (draining) {
      return new ControlReply.DrainStatus(true, sessions.size());
    }
    draining = true;
    java.util.Set<String> told = new java.util.HashSet<>();
    int perTick = Math.max(1, perSecond / 10);
    LOG.info(Kv.event("node.drain_started", "agents", sessions.size(), "perSecond", perSecond));
    timerId = vertx.setPeriodic(100, id -> {
      int sent = 0;
      for (AgentSession s : sessions.all()) {
        if (sent == perTick) {
          break;
        }
        if (told.add(s.sessionId()) && NodeInbox.sendReconnect(s, url, ThreadLocalRandom.current().nextLong(0, 1_000))) {
          sent++;
        }
      }
      if (sessions.size() == 0) {
        vertx.cancelTimer(id);
        timerId = -1;
        LOG.info(Kv.event("node.drain_done"));
      }
    });
    return new ControlReply.DrainStatus(true, sessions.size());
  }

  public ControlReply.DrainStatus stop() {
    draining = false;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    return new ControlReply.DrainStatus(false, null);
  }
}
