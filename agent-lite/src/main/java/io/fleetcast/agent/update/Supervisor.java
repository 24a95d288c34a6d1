package io.fleetcast.agent.update;

import io.fleetcast.protocol.log.Kv;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The launcher's loop: runs the current agent version; when it exits with
 * {@link SelfRestart#EXIT_CODE} and an update is staged, switches to the staged jar (keeping the
 * previous one) and starts it; if that version has not confirmed (connected and reported
 * itself) by the deadline, or exits first, kills it, switches back and starts the previous one,
 * which reports the failure. Crashes are restarted with back-off. Bounded by {@code maxStarts}.
 */
public final class Supervisor {
  private static final Logger LOG = Logger.getLogger(Supervisor.class.getName());
  private static final long POLL_MILLIS = 200;

  private final UpdateSlots slots;
  private final ChildLauncher launcher;
  private final int maxStarts;
  private final Duration crashBackoffCap;
  private volatile boolean stopping;
  private volatile ChildLauncher.Child child;

  public Supervisor(UpdateSlots slots, ChildLauncher launcher, int maxStarts, Duration crashBackoffCap) {
    this.slots = slots;
    this.launcher = launcher;
    this.maxStarts = maxStarts;
    this.crashBackoffCap = crashBackoffCap;
  }

  /** Runs until the agent exits 0, {@link #stop()} is called, or {@code maxStarts} is used up; returns the last exit code. */
  public int run() throws IOException, InterruptedException {
    int code = 0;
    int crashes = 0;
    for (int start = 0; start < maxStarts && !stopping; start++) {
      PendingUpdate pending = PendingUpdate.read(slots.dir()).orElse(null);
      if (pending != null && pending.stage() == PendingUpdate.Stage.STAGED) {
        slots.activate(pending.toVersion());
        pending = pending.with(PendingUpdate.Stage.STARTED, null);
        pending.write(slots.dir());
        LOG.info(Kv.event("launcher.update.start").kv("from", pending.fromVersion()).kv("to", pending.toVersion())
            .kv("deadlineSeconds", pending.connectTimeoutSeconds()).toString());
      }
      String version = slots.current();
      child = launcher.launch(slots.jar(version), version);
      if (pending != null && pending.stage() == PendingUpdate.Stage.STARTED && pending.toVersion().equals(version)) {
        Optional<String> failure = awaitConfirmation(child, pending);
        if (failure.isPresent()) {
          rollBack(pending, failure.get());
          crashes = 0;
          continue;
        }
      }
      code = child.exit().join();
      if (code == 0 || stopping) {
        return code;
      }
      if (code == SelfRestart.EXIT_CODE) {
        crashes = 0;
        continue;
      }
      long delay = Math.min(crashBackoffCap.toMillis(), 1000L << Math.min(10, crashes++));
      LOG.warning(Kv.event("launcher.agent.crashed").kv("exitCode", code).kv("restartInMillis", delay).toString());
      Thread.sleep(delay);
    }
    return code;
  }

  /** Empty when the new version confirmed; else why not. */
  private Optional<String> awaitConfirmation(ChildLauncher.Child c, PendingUpdate pending)
      throws IOException, InterruptedException {
    while (System.currentTimeMillis() < pending.deadlineMillis() && !stopping) {
      Optional<PendingUpdate> now = PendingUpdate.read(slots.dir());
      // confirmed, finished (cleared), or already another update's file: the new version connected
      // and took its next task between two polls; its restart for that one is no failure of this one
      if (now.isEmpty() || now.get().stage() == PendingUpdate.Stage.CONFIRMED
          || !now.get().taskId().equals(pending.taskId())) {
        return Optional.empty();
      }
      if (c.exit().isDone()) {
        return Optional.of("version " + pending.toVersion() + " exited with code " + c.exit().join()
            + " before it connected");
      }
      Thread.sleep(POLL_MILLIS);
    }
    return stopping ? Optional.empty() : Optional.of("version " + pending.toVersion()
        + " did not connect and report its version within " + pending.connectTimeoutSeconds() + " s");
  }

  private void rollBack(PendingUpdate pending, String reason) throws IOException, InterruptedException {
    LOG.warning(Kv.event("launcher.update.rollback").kv("to", pending.toVersion()).kv("back", pending.fromVersion())
        .kv("reason", reason).toString());
    ChildLauncher.Child c = child;
    if (!c.exit().isDone()) {
      c.kill();
      try {
        c.exit().get(30, TimeUnit.SECONDS);
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        LOG.warning(Kv.event("launcher.kill.slow").kv("error", e.toString()).toString());
      }
    }
    slots.rollback();
    pending.with(PendingUpdate.Stage.ROLLED_BACK, reason).write(slots.dir());
  }

  /** Stops the loop and the running agent. */
  public void stop() {
    stopping = true;
    ChildLauncher.Child c = child;
    if (c != null) {
      c.kill();
    }
  }
}
