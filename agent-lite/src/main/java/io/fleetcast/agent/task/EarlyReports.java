package io.fleetcast.agent.task;

import io.fleetcast.agent.connection.NodeLink;
import io.fleetcast.protocol.AgentMessage.Ack;
import io.fleetcast.protocol.AgentMessage.Progress;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Holds a task's {@code ack} and its "running" report back for a short grace after the task was
 * recorded as accepted. A task that finishes within the grace is reported by its result alone:
 * the result moves the target past {@code acked} and {@code running} anyway, so the two frames
 * would only cost the agent, the node and Postgres work for a state nobody sees (in a fan-out of
 * quick tasks they were two of every three frames an agent sent). A task still running when the
 * grace ends sends both then, in order; so does one that reports progress or is sent again
 * before. Lives on the agent's context.
 */
final class EarlyReports {
  private final Vertx vertx;
  private final NodeLink link;
  private final long graceMillis;
  private final Map<String, Held> held = new HashMap<>();

  private static final class Held {
    long timer = -1;
    boolean started;
  }

  EarlyReports(Vertx vertx, NodeLink link, Duration grace) {
    this.vertx = vertx;
    this.link = link;
    this.graceMillis = grace == null ? 0 : grace.toMillis();
  }

  /** The task is recorded as accepted: its ack leaves now, or when the grace ends unless the result came first. */
  void accepted(String taskId) {
    if (graceMillis <= 0) {
      link.send(new Ack(taskId));
      return;
    }
    Held h = new Held();
    held.put(taskId, h);
    h.timer = vertx.setTimer(graceMillis, t -> release(taskId));
  }

  /** The task started running: reported now if its ack already left, else together with the ack. */
  void started(String taskId) {
    Held h = held.get(taskId);
    if (h == null) {
      link.send(new Progress(taskId, 0, "running"));
    } else {
      h.started = true;
    }
  }

  /** Anything else about the task is about to be sent (progress, a fresh ack): what is held goes first. */
  void release(String taskId) {
    Held h = held.remove(taskId);
    if (h == null) {
      return;
    }
    vertx.cancelTimer(h.timer);
    link.send(new Ack(taskId));
    if (h.started) {
      link.send(new Progress(taskId, 0, "running"));
    }
  }

  /** The result is about to be sent: what is still held is dropped, the result says it all. */
  void finished(String taskId) {
    Held h = held.remove(taskId);
    if (h != null) {
      vertx.cancelTimer(h.timer);
    }
  }

  /** True while the task's ack is held back. */
  boolean holding(String taskId) {
    return held.containsKey(taskId);
  }
}
