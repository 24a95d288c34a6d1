package io.fleetcast.node.agent;

import io.fleetcast.common.log.Kv;
import io.fleetcast.node.store.PresenceStore;
import io.fleetcast.node.store.PresenceStore.Seen;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Keeps {@code agents.last_seen} meaningful for connected agents: every pass, the sessions heard
 * from since the previous pass (any frame or pong) have their last-heard time written, in chunks
 * of a few thousand rows per statement. The interval bounds how stale {@code lastSeen} of a
 * connected agent can be, and keeps the write rate at agents / interval rows per second.
 */
public final class LastSeenReporter {
  private static final Logger LOG = Logger.getLogger(LastSeenReporter.class.getName());
  static final int CHUNK = 5000;

  private final SessionTable sessions;
  private final PresenceStore store;
  private long previousPassNanos = System.nanoTime();
  private boolean running;

  public LastSeenReporter(SessionTable sessions, PresenceStore store) {
    this.sessions = sessions;
    this.store = store;
  }

  /** One pass; a pass still writing when the next is due is not overlapped. */
  public Future<Integer> pass() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    long since = previousPassNanos;
    long nowNanos = System.nanoTime();
    Instant now = Instant.now();
    previousPassNanos = nowNanos;
    List<Seen> heard = new ArrayList<>();
    for (AgentSession s : sessions.all()) {
      UUID id = AgentSession.parseUuid(s.agentId());
      if (s.active() && id != null && s.lastHeardNanos() - since > 0) {
        heard.add(new Seen(id, s.sessionId(), now.minus(Duration.ofNanos(nowNanos - s.lastHeardNanos()))));
      }
    }
    return writeChunks(heard, 0, 0)
        .onFailure(e -> LOG.warning(Kv.event("presence.last_seen_failed", "error", e.getMessage())))
        .onComplete(ar -> running = false);
  }

  private Future<Integer> writeChunks(List<Seen> heard, int from, int written) {
    if (from >= heard.size()) {
      return Future.succeededFuture(written);
    }
    List<Seen> part = heard.subList(from, Math.min(heard.size(), from + CHUNK));
    // one statement at a time: never more than one pooled connection for this housekeeping
    return store.touch(part).compose(n -> writeChunks(heard, from + CHUNK, written + n));
  }
}
