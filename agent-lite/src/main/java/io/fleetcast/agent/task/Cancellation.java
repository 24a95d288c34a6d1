package io.fleetcast.agent.task;

import java.util.ArrayList;
import java.util.List;

/**
 * Set when a {@code cancel} arrives for a running task. Kinds register what stops them
 * (kill the process, stop the download); callbacks run once, on the thread that cancels.
 * Thread-safe: process threads read it, the agent context sets it.
 */
public final class Cancellation {
  private final List<Runnable> hooks = new ArrayList<>();
  private boolean cancelled;

  public synchronized boolean cancelled() {
    return cancelled;
  }

  /** Registers {@code hook}; runs it at once when already cancelled. */
  public void onCancel(Runnable hook) {
    boolean now;
    synchronized (this) {
      now = cancelled;
      if (!now) {
        hooks.add(hook);
      }
    }
    if (now) {
      hook.run();
    }
  }

  public void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = new ArrayList<>(hooks);
      hooks.clear();
    }
    toRun.forEach(Runnable::run);
  }
}
