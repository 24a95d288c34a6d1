package io.fleetcast.agent.task.kinds;

import io.fleetcast.agent.task.TaskContext;
import io.fleetcast.agent.task.TaskKind;
import io.fleetcast.agent.task.TaskOutcome;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code install}: downloads {@code url} (resumable), checks {@code size} and {@code sha256}
 * BEFORE anything runs, then runs {@code command args...}. The downloaded file's absolute
 * path is given to the command twice: as the environment variable {@code FLEETCAST_DOWNLOAD},
 * and in place of every {@code {file}} in {@code command} and {@code args}. Without a
 * {@code command} the downloaded file itself is made executable and run with {@code args}.
 * The download is deleted after the command ran; a partial download is kept for resuming.
 */
public final class InstallKind implements TaskKind {
  public static final String FILE_PLACEHOLDER = "{file}";
  public static final String FILE_ENV = "FLEETCAST_DOWNLOAD";

  private final Downloader downloader;
  private final ProcessRunner runner;
  private final WorkerExecutor worker;
  private final Path workDir;
  private final Duration defaultTimeout;
  private final io.fleetcast.agent.content.PackageInstall packages;

  public InstallKind(Downloader downloader, ProcessRunner runner, WorkerExecutor worker, Path workDir,
      Duration defaultTimeout) {
    this(downloader, runner, worker, workDir, defaultTimeout, null);
  }

  /** With {@code packages}, also runs catalog installs (content hash + sources, see agent content). */
  public InstallKind(Downloader downloader, ProcessRunner runner, WorkerExecutor worker, Path workDir,
      Duration defaultTimeout, io.fleetcast.agent.content.PackageInstall packages) {
    this.packages = packages;
    this.downloader = downloader;
    this.runner = runner;
    this.worker = worker;
    this.workDir = workDir;
    this.defaultTimeout = defaultTimeout;
  }

  @Override
  public String name() {
    return "install";
  }

  private record Parsed(String url, String sha256, Long size, String command, List<String> args, Duration timeout) {}

  @Override
  public String validate(JsonObject spec) {
    if (io.fleetcast.agent.content.PackageInstall.handles(spec)) {
      return packages == null ? "this agent does not run catalog installs"
          : io.fleetcast.agent.content.PackageInstall.validate(spec);
    }
    return TaskKind.super.validate(spec);
  }

  private Parsed parse(JsonObject json) {
    SpecReader spec = new SpecReader(json);
    Long timeout = spec.optLong("timeoutSeconds");
    return new Parsed(spec.string("url"), spec.string("sha256"), spec.optLong("size"), spec.optString("command"),
        spec.strings("args"), timeout == null ? defaultTimeout : Duration.ofSeconds(timeout));
  }

  @Override
  public void prepare(io.fleetcast.protocol.NodeMessage.Task task, io.fleetcast.agent.task.Cancellation cancellation) {
    if (packages != null && io.fleetcast.agent.content.PackageInstall.handles(task.spec())) {
      packages.prestage(task.spec(), cancellation);
    }
  }

  @Override
  public Future<TaskOutcome> run(TaskContext ctx) {
    if (packages != null && io.fleetcast.agent.content.PackageInstall.handles(ctx.task().spec())) {
      return packages.run(ctx);
    }
    Parsed p = parse(ctx.task().spec());
    return downloader.fetch(p.url(), p.sha256(), p.size(), ctx.cancellation(), ctx::progress)
        .compose(file -> execute(ctx, p, file)
            .compose(outcome -> worker.executeBlocking(() -> {
              deleteTree(file.getParent());
              return outcome;
            }, false)))
        .recover(e -> Future.succeededFuture(ctx.cancellation().cancelled()
            ? TaskOutcome.cancelled("cancelled: " + e.getMessage())
            : TaskOutcome.failed(e instanceof Downloader.DownloadFailed ? e.getMessage()
                : "install failed: " + e.getMessage())));
  }

  private Future<TaskOutcome> execute(TaskContext ctx, Parsed p, Path file) {
    if (ctx.cancellation().cancelled()) {
      return Future.succeededFuture(TaskOutcome.cancelled("cancelled after download, nothing run"));
    }
    String path = file.toAbsolutePath().toString();
    List<String> cmd = new ArrayList<>();
    if (p.command() == null || p.command().isBlank()) {
      file.toFile().setExecutable(true, true);
      cmd.add(path);
    } else {
      cmd.add(p.command().replace(FILE_PLACEHOLDER, path));
    }
    p.args().forEach(a -> cmd.add(a.replace(FILE_PLACEHOLDER, path)));
    Map<String, String> env = new HashMap<>();
    env.put(FILE_ENV, path);
    env.put("FLEETCAST_TASK_ID", ctx.taskId());
    ctx.progress(100, "download verified, running");
    return runner.run(new ProcessRunner.Spec(ctx.taskId(), cmd, env, workDir, p.timeout()), ctx.cancellation());
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
