package io.fleetcast.node.agent;

import io.fleetcast.node.metrics.NodeMetrics.DisconnectReason;
import io.fleetcast.protocol.CloseCodes;
import java.util.concurrent.TimeUnit;

/**
 * Pings every agent once per heartbeat interval and drops those silent for
 * {@code missed} intervals. One sweep per second over 1/interval of the sessions: no timer
 * per socket, and pings spread evenly instead of in bursts. A sweep visits only its share (the
 * session table's sweep slots {@code k} with {@code k % interval} = this second's turn), not every
 * session: a whole-table pass each second was 5-8 % of a busy node's samples.
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
    int turn = (int) (tick++ % intervalSeconds);
    long now = System.nanoTime();
    int dropped = 0;
    // intervals longer than the slot count leave some seconds without a turn: each slot still comes once per interval
    for (int slot = turn; slot < SessionTable.SWEEP_SLOTS; slot += intervalSeconds) {
      for (AgentSession s : sessions.sweepSlot(slot)) {
        if (now - s.lastHeardNanos() > silenceLimitNanos) {
          s.close(CloseCodes.IDLE, "no heartbeat", DisconnectReason.IDLE);
          dropped++;
        } else {
          s.connection().ping();
        }
      }
    }
    return dropped;
  }
}
