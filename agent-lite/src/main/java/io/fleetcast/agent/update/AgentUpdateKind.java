package io.fleetcast.agent.update;

import io.fleetcast.protocol.log.Kv;
import io.fleetcast.agent.task.SigningKeys;
import io.fleetcast.agent.task.TaskContext;
import io.fleetcast.agent.task.TaskKind;
import io.fleetcast.agent.task.TaskOutcome;
import io.fleetcast.agent.task.kinds.Downloader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * {@code agentUpdate}: downloads a release (resumable, size and SHA-256 checked before anything
 * else), verifies its Ed25519 release signature with the gateway keys the agent knows, puts it
 * in the install directory next to the running jar, records the pending update and ends the
 * process so that the launcher starts the new version. The task's result is written after the
 * restart: by the new version once it connected and reported itself, or by the old one after
 * the launcher rolled back (see {@link UpdateRecovery}). Without a launcher (no install
 * directory) the task is rejected.
 */
public final class AgentUpdateKind implements TaskKind {
  private static final Logger LOG = Logger.getLogger(AgentUpdateKind.class.getName());
  private static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 120;

  private final Downloader downloader;
  private final SigningKeys keys;
  private final WorkerExecutor worker;
  private final Path installDir;
  private final String runningVersion;
  private final SelfRestart restart;

  public AgentUpdateKind(Downloader downloader, SigningKeys keys, WorkerExecutor worker, Path installDir,
      String runningVersion, SelfRestart restart) {
    this.downloader = downloader;
    this.keys = keys;
    this.worker = worker;
    this.installDir = installDir;
    this.runningVersion = runningVersion;
    this.restart = restart;
  }

  @Override
  public String name() {
    return "agentUpdate";
  }

  record Spec(String version, String url, String sha256, long size, String signature, String keyId, long connectTimeout) {}

  @Override
  public String validate(JsonObject spec) {
    if (installDir == null) {
      return "this agent does not run under the fleetcast launcher (no --install-dir): it cannot update itself";
    }
    return TaskKind.super.validate(spec);
  }

  /** Reads a spec the descriptor accepted ({@link #validate}): its fields and bounds are checked there. */
  static Spec parse(JsonObject j) {
    return new Spec(j.getString("version"), j.getString("url"), j.getString("sha256").toLowerCase(Locale.ROOT),
        j.getLong("size"), j.getString("signature"), j.getString("keyId"),
        j.getLong("connectTimeoutSeconds", (long) DEFAULT_CONNECT_TIMEOUT_SECONDS));
  }

  @Override
  public Future<TaskOutcome> run(TaskContext ctx) {
    Spec s = parse(ctx.task().spec());
    if (s.version().equals(runningVersion)) {
      return Future.succeededFuture(TaskOutcome.succeeded("already running version " + runningVersion));
    }
    if (!keys.verifyRelease(s.keyId(), s.version(), s.sha256(), s.signature())) {
      // checked before downloading too: a bad signature never costs a download
      return Future.succeededFuture(TaskOutcome.failed("release signature of " + s.version()
          + " does not verify with any gateway key this agent knows; nothing downloaded or changed"));
    }
    return downloader.fetch(s.url(), s.sha256(), s.size(), ctx.cancellation(), ctx::progress)
        .compose(file -> worker.executeBlocking(() -> {
          // the hash was checked by the downloader; the signature covers that hash
          new UpdateSlots(installDir).stage(s.version(), file);
          new PendingUpdate(ctx.taskId(), runningVersion, s.version(), PendingUpdate.Stage.STAGED, s.connectTimeout(),
              0, null).write(installDir);
          return file;
        }, false))
        .compose(file -> {
          LOG.info(Kv.event("update.staged").kv("taskId", ctx.taskId()).kv("from", runningVersion)
              .kv("to", s.version()).toString());
          ctx.progress(100, "verified " + s.version() + ", restarting into it");
          restart.restartIntoStagedVersion();
          // the result comes after the restart; this process does not report one
          return Promise.<TaskOutcome>promise().future();
        })
        .recover(e -> Future.succeededFuture(ctx.cancellation().cancelled()
            ? TaskOutcome.cancelled("cancelled: " + e.getMessage())
            : TaskOutcome.failed(e instanceof Downloader.DownloadFailed ? e.getMessage()
                : "update failed before the restart, nothing changed: " + e.getMessage())));
  }
}
