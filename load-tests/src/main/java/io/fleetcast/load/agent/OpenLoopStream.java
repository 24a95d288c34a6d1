package io.fleetcast.load.agent;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * One agent's open-loop result stream (ingest scenario with {@code --rate}): it sends the
 * agent's pre-provisioned tasks' results in order, on the {@link OpenLoopSchedule}, without
 * waiting for acknowledgements, and remembers when each outstanding result left so that its
 * resultAck gives that result's own latency. One timer at a time on the agent's event loop; the
 * stream ends by itself after its last task or at the deadline. Confined to that loop.
 */
final class OpenLoopStream {
  /** What the stream needs from its agent: put one task's result on the wire (or keep it for the resend). */
  @FunctionalInterface
  interface ResultSender {
    void send(String taskId);
  }

  private record Outstanding(String taskId, long sentNanos) {}

  /**
   * What every agent of a generator shares: the tasks to answer in order, the schedule, and the
   * common start and deadline ({@code System.nanoTime()}).
   */
  record Plan(String[] tasks, OpenLoopSchedule schedule, long startNanos, long deadlineNanos) {}

  private final EventLoop loop;
  private final ResultSender sender;
  private final Plan plan;
  private final long phaseNanos;
  private final FleetStats stats;
  /** Sent and not yet acknowledged, oldest first: acks come nearly in order, so a search from the head is short. */
  private final ArrayDeque<Outstanding> outstanding = new ArrayDeque<>();
  private int next;

  OpenLoopStream(EventLoop loop, ResultSender sender, Plan plan, FleetStats stats) {
    this.loop = loop;
    this.sender = sender;
    this.plan = plan;
    this.phaseNanos = plan.schedule().randomPhaseNanos();
    this.stats = stats;
  }

  /** Arms the first send; on the agent's loop. */
  void start() {
    armNext();
  }

  private void armNext() {
    if (next >= plan.tasks().length) {
      return;
    }
    long due = plan.schedule().dueNanos(plan.startNanos(), phaseNanos, next);
    if (due > plan.deadlineNanos()) {
      return;
    }
    loop.schedule(this::sendDue, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void sendDue() {
    String taskId = plan.tasks()[next++];
    outstanding.addLast(new Outstanding(taskId, System.nanoTime()));
    stats.ingestOutstanding.increment();
    // sent even while disconnected: the agent keeps it and re-sends on its next welcome, and
    // the latency then honestly includes the reconnect
    sender.send(taskId);
    armNext();
  }

  /**
   * The resultAck for {@code taskId} arrived at {@code nanos}: the latency of that result in
   * nanoseconds, or -1 when it is not one of this stream's outstanding results (e.g. a repeat).
   */
  long acknowledged(String taskId, long nanos) {
    for (Iterator<Outstanding> it = outstanding.iterator(); it.hasNext(); ) {
      Outstanding o = it.next();
      if (o.taskId().equals(taskId)) {
        it.remove();
        stats.ingestOutstanding.decrement();
        return Math.max(0, nanos - o.sentNanos());
      }
    }
    return -1;
  }
}
