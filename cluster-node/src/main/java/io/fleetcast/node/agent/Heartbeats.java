package io.fleetcast.node.agent;

import io.fleetcast.node.metrics.NodeMetrics.DisconnectReason;
import io.fleetcast.protocol.CloseCodes;
import java.util.concurrent.TimeUnit;

/**
 * Pings every agent once per heartbeat interval and drops those silent for
 * {@code missed} intervals. One sweep per second over 1/interval of the sessions: no timer
 * per socket, and pings spread evenly instead of in bursts.
 */
public final class Heartbeats {
  private final SessionTable sessions;
  private final int intervalSeconds;
  private final long silenceLimitNanos;
  private long tick;

  public Heartbeats(SessionTable sessions, int intervalSeconds, int missed) {
    this.sessions = sessions;
    this.intervalSeconds = Math.max(1, intervalSeconds);
    this.silenceLimitNanos = TimeUnit.SECONDS.toNanos((long) this.intervalSeconds * Math.max(1, missed));
  }

  /** Called once per second. Yields how many sessions were dropped. */
  public int sweep() {
    long bucket = tick++ % intervalSeconds;
    long now = System.nanoTime();
    int dropped = 0;
    for (AgentSession s : sessions.all()) {
      if (Math.floorMod(s.sessionId().hashCode(), intervalSeconds) != bucket) {
        continue;
      }
      if (now - s.lastHeardNanos() > silenceLimitNanos) {
        s.close(CloseCodes.IDLE, "no heartbeat", DisconnectReason.IDLE);
        dropped++;
      } else {
        s.connection().ping();
      }
    }
    return dropped;
  }
}
