package io.fleetcast.load.agent;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-agent {@code System.nanoTime()} stamps of one generator process. On Linux nanoTime is
 * CLOCK_MONOTONIC, shared by all processes of the machine, so the coordinator can subtract
 * its own stamp (the moment the API call returned) from these.
 */
final class AgentTimes {
  /** First task frame since the last reset. */
  final AtomicLongArray task;
  /** First resultAck since the last reset. */
  final AtomicLongArray resultAck;
  /** Start of the first connect attempt since the last reset. */
  final AtomicLongArray connectStart;
  /** Start of the latest connect attempt. */
  final AtomicLongArray attempt;
  /** Latest welcome. */
  final AtomicLongArray welcome;
  /** Latest loss of a welcomed connection. */
  final AtomicLongArray drop;

  AgentTimes(int n) {
    task = new AtomicLongArray(n);
    resultAck = new AtomicLongArray(n);
    connectStart = new AtomicLongArray(n);
    attempt = new AtomicLongArray(n);
    welcome = new AtomicLongArray(n);
    drop = new AtomicLongArray(n);
  }

  static void first(AtomicLongArray a, int slot, long nanos) {
    if (a.get(slot) == 0) {
      a.set(slot, nanos);
    }
  }

  void reset() {
    for (int i = 0; i < task.length(); i++) {
      task.set(i, 0);
      resultAck.set(i, 0);
      connectStart.set(i, 0);
    }
  }
}
