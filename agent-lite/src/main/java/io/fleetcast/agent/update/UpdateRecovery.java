package io.fleetcast.agent.update;

import io.fleetcast.protocol.log.Kv;
import io.fleetcast.agent.task.TaskManager;
import io.fleetcast.agent.task.TaskOutcome;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * What a starting agent does about a pending self-update: the new version keeps the update
 * task open until it connected and said hello with its version, then confirms (the launcher
 * stops its deadline) and reports success; the version rolled back to reports the failure
 * with the launcher's reason. The decision is {@link #decide}, pure and tested on its own.
 */
public final class UpdateRecovery {
  private static final Logger LOG = Logger.getLogger(UpdateRecovery.class.getName());

  public enum Decision {
    /** No update pending. */
    NONE,
    /** This is the new version: report success once connected. */
    AWAIT_CONNECT,
    /** Confirmed earlier, success not yet reported (stopped in between). */
    REPORT_SUCCESS,
    /** The launcher went back to this version: report the failure. */
    REPORT_ROLLBACK,
    /** Staged but never started (no launcher, or it did not act): report the failure. */
    REPORT_ABANDONED
  }

  private final Path installDir;
  private final String version;
  private final WorkerExecutor worker;
  private PendingUpdate pending;
  private Decision decision = Decision.NONE;

  public UpdateRecovery(Path installDir, String version, WorkerExecutor worker) {
    this.installDir = installDir;
    this.version = version;
    this.worker = worker;
  }

  public static Decision decide(PendingUpdate p, String runningVersion) {
    if (p == null) {
      return Decision.NONE;
    }
    boolean isNew = p.toVersion().equals(runningVersion);
    return switch (p.stage()) {
      case STARTED -> isNew ? Decision.AWAIT_CONNECT : Decision.REPORT_ROLLBACK;
      case CONFIRMED -> isNew ? Decision.REPORT_SUCCESS : Decision.REPORT_ROLLBACK;
      case ROLLED_BACK -> Decision.REPORT_ROLLBACK;
      case STAGED -> Decision.REPORT_ABANDONED;
    };
  }

  /** Reads the pending update; the task ids the interrupted-task recovery must leave alone. */
  public Future<Set<String>> load() {
    if (installDir == null) {
      return Future.succeededFuture(Set.of());
    }
    return worker.executeBlocking(() -> {
      Optional<PendingUpdate> p = PendingUpdate.read(installDir);
      pending = p.orElse(null);
      decision = decide(pending, version);
      return pending == null ? Set.<String>of() : Set.of(pending.taskId());
    }, false);
  }

  /** After the tasks are recovered: reports what is already decided. */
  public Future<Void> report(TaskManager tasks) {
    return switch (decision) {
      case NONE, AWAIT_CONNECT -> Future.succeededFuture();
      case REPORT_SUCCESS -> succeed(tasks);
      case REPORT_ROLLBACK -> finish(tasks, TaskOutcome.failed("update to " + pending.toVersion()
          + " rolled back to " + version + ": " + (pending.reason() == null ? "the new version did not confirm"
              : pending.reason())));
      case REPORT_ABANDONED -> finish(tasks, TaskOutcome.failed("update to " + pending.toVersion()
          + " was staged but not started by the launcher; still running " + version));
    };
  }

  /** On every welcome: the new version confirms (once) and reports success. */
  public Future<Void> connected(TaskManager tasks) {
    if (decision != Decision.AWAIT_CONNECT) {
      return Future.succeededFuture();
    }
    decision = Decision.REPORT_SUCCESS;
    PendingUpdate confirmed = pending.with(PendingUpdate.Stage.CONFIRMED, null);
    return worker.executeBlocking(() -> {
      confirmed.write(installDir);
      return null;
    }, false).compose(v -> succeed(tasks));
  }

  private Future<Void> succeed(TaskManager tasks) {
    return finish(tasks, TaskOutcome.succeeded("updated from " + pending.fromVersion() + " to " + version
        + "; connected and reported its version"));
  }

  private Future<Void> finish(TaskManager tasks, TaskOutcome outcome) {
    LOG.info(Kv.event("update.finished").kv("taskId", pending.taskId()).kv("to", pending.toVersion())
        .kv("running", version).kv("status", outcome.status().wire()).toString());
    decision = Decision.NONE;
    return tasks.finishDeferred(pending.taskId(), outcome)
        .compose(v -> worker.executeBlocking(() -> {
          PendingUpdate.clear(installDir);
          return null;
        }, false));
  }
}
