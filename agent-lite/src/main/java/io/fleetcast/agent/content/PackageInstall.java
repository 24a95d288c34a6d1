package io.fleetcast.agent.content;

import io.fleetcast.agent.task.SpecRejection;
import io.fleetcast.agent.task.TaskContext;
import io.fleetcast.agent.task.TaskOutcome;
import io.fleetcast.agent.task.kinds.ProcessRunner;
import io.fleetcast.protocol.TaskStatus;
import io.fleetcast.protocol.task.SpecStage;
import io.fleetcast.protocol.task.TaskKinds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@code install} of a catalog package (the spec carries {@code sha256} and {@code sources}):
 * fetch the verified content ({@link ContentFetcher}), then either keep it ({@code deliverOnly})
 * or run the program; its {@code successExitCodes} and {@code rebootExitCodes} decide the status.
 * The last output line says where the bytes came from. The content stays in the cache.
 */
public final class PackageInstall {
  public static final String FILE_PLACEHOLDER = "{file}";
  public static final String FILE_ENV = "FLEETCAST_DOWNLOAD";

  /** The parsed spec. */
  record Spec(ContentFetcher.Request request, boolean deliverOnly, String command, List<String> args,
      Duration timeout, String runAs, Set<Integer> success, Set<Integer> reboot, java.time.Instant runAt) {}

  private final ContentFetcher fetcher;
  private final ProcessRunner runner;
  private final Path workDir;

  public PackageInstall(ContentFetcher fetcher, ProcessRunner runner, Path workDir) {
    this.fetcher = fetcher;
    this.runner = runner;
    this.workDir = workDir;
  }

  /** Whether the spec is the resolved catalog form (else the plain URL form), as the install descriptor tells them. */
  public static boolean handles(JsonObject spec) {
    return !TaskKinds.INSTALL.formFor(SpecStage.TASK, spec).isDefault();
  }

  /** Null when the spec is runnable, else why not: the descriptor's fields and bounds, then what they cannot say. */
  public static String validate(JsonObject spec) {
    String invalid = SpecRejection.reason(TaskKinds.INSTALL.name(), spec);
    if (invalid != null) {
      return invalid;
    }
    try {
      parse(spec);
      return null;
    } catch (IllegalArgumentException | ClassCastException | java.time.format.DateTimeParseException e) {
      return "install spec: " + e.getMessage();
    }
  }

  static Spec parse(JsonObject j) {
    // hash, size, file name and the other bounds were checked against the descriptor (validate)
    String sha = j.getString("sha256");
    long size = j.getLong("size");
    String fileName = j.getString("fileName", "package");
    List<Source> depots = Source.fromSpec(j.getJsonArray("sources"));
    if (depots.isEmpty()) {
      throw new IllegalArgumentException("sources must name at least one http(s) depot");
    }
    boolean deliverOnly = Boolean.TRUE.equals(j.getBoolean("deliverOnly"));
    String command = j.getString("command");
    if (!deliverOnly && (command == null || command.isBlank())) {
      throw new IllegalArgumentException("command is required unless deliverOnly");
    }
    List<String> args = new ArrayList<>();
    j.getJsonArray("args", new JsonArray()).forEach(a -> args.add(String.valueOf(a)));
    Integer timeout = j.getInteger("timeoutSeconds", 3600);
    Long kbps = j.getLong("bandwidthKbps");
    return new Spec(new ContentFetcher.Request(sha, size, fileName, depots, j.getString("peerToken"), kbps),
        deliverOnly, command, args, Duration.ofSeconds(Math.max(1, timeout)), j.getString("runAs"),
        codes(j.getJsonArray("successExitCodes"), List.of(0)), codes(j.getJsonArray("rebootExitCodes"), List.of()),
        j.getString("runAt") == null ? null : java.time.Instant.parse(j.getString("runAt")));
  }

  private static Set<Integer> codes(JsonArray arr, List<Integer> dflt) {
    if (arr == null) {
      return Set.copyOf(dflt);
    }
    List<Integer> out = new ArrayList<>();
    arr.forEach(x -> out.add(((Number) x).intValue()));
    return Set.copyOf(out);
  }

  /** Pre-staging: starts (or joins) the download now; the run later finds it done. */
  public void prestage(JsonObject spec, io.fleetcast.agent.task.Cancellation cancellation) {
    fetcher.fetch(parse(spec).request(), cancellation, (p, m) -> {});
  }

  public Future<TaskOutcome> run(TaskContext ctx) {
    Spec spec = parse(ctx.task().spec());
    String runAsProblem = runAsProblem(spec.runAs());
    if (runAsProblem != null) {
      return Future.succeededFuture(TaskOutcome.rejected(runAsProblem));
    }
    return fetcher.fetch(spec.request(), ctx.cancellation(), ctx::progress).compose(f -> {
      fetcher.cache().pin(spec.request().sha256());
      Future<TaskOutcome> outcome = spec.deliverOnly()
          ? Future.succeededFuture(TaskOutcome.succeeded("delivered " + f.file() + " (verified sha256 "
              + spec.request().sha256() + "); deliver-only program, nothing run"))
          : untilRunAt(ctx, spec).compose(v -> execute(ctx, spec, f.file()));
      return outcome.map(o -> withTally(o, f.tally()))
          .eventually(() -> {
            fetcher.cache().unpin(spec.request().sha256());
            return Future.succeededFuture();
          });
    }).recover(e -> Future.succeededFuture(ctx.cancellation().cancelled()
        ? TaskOutcome.cancelled("cancelled: " + e.getMessage())
        : TaskOutcome.failed("install failed: " + e.getMessage())));
  }

  /** Pre-staging: the content is here and verified; the program runs at {@code runAt}. */
  private Future<Void> untilRunAt(TaskContext ctx, Spec spec) {
    if (spec.runAt() == null || !java.time.Instant.now().isBefore(spec.runAt())) {
      return Future.succeededFuture();
    }
    ctx.progress(100, "pre-staged and verified; runs at " + spec.runAt());
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    waitStep(ctx, spec.runAt(), p);
    return p.future();
  }

  private void waitStep(TaskContext ctx, java.time.Instant at, io.vertx.core.Promise<Void> p) {
    long ms = Duration.between(java.time.Instant.now(), at).toMillis();
    if (ms <= 0 || ctx.cancellation().cancelled()) {
      p.tryComplete();
      return;
    }
    // short steps: a cancel is seen within a second
    ctx.vertx().setTimer(Math.min(ms, 1000), t -> waitStep(ctx, at, p));
  }

  private Future<TaskOutcome> execute(TaskContext ctx, Spec spec, Path file) {
    if (ctx.cancellation().cancelled()) {
      return Future.succeededFuture(TaskOutcome.cancelled("cancelled after download, nothing run"));
    }
    String path = file.toAbsolutePath().toString();
    List<String> cmd = new ArrayList<>();
    if (spec.runAs() != null && !spec.runAs().equals(System.getProperty("user.name"))) {
      cmd.addAll(List.of("runuser", "-u", spec.runAs(), "--"));
    }
    cmd.add(spec.command().replace(FILE_PLACEHOLDER, path));
    spec.args().forEach(a -> cmd.add(a.replace(FILE_PLACEHOLDER, path)));
    Map<String, String> env = new HashMap<>();
    env.put(FILE_ENV, path);
    env.put("FLEETCAST_TASK_ID", ctx.taskId());
    ctx.progress(100, "download verified, running");
    return runner.run(new ProcessRunner.Spec(ctx.taskId(), cmd, env, workDir, spec.timeout()), ctx.cancellation())
        .map(o -> judge(o, spec));
  }

  /** Applies the program's exit codes: success and reboot-required codes succeed, every other one fails. */
  static TaskOutcome judge(TaskOutcome o, Spec spec) {
    if (o.exitCode() == null || (o.status() != TaskStatus.SUCCEEDED && o.status() != TaskStatus.FAILED)) {
      return o;
    }
    int code = o.exitCode();
    if (spec.success().contains(code)) {
      return new TaskOutcome(TaskStatus.SUCCEEDED, code, o.output());
    }
    if (spec.reboot().contains(code)) {
      return new TaskOutcome(TaskStatus.SUCCEEDED, code, o.output() + "\nexit code " + code + ": succeeded, reboot required");
    }
    return new TaskOutcome(TaskStatus.FAILED, code, o.output());
  }

  /** Running as another account needs root (runuser); anything else is refused before downloading. */
  static String runAsProblem(String runAs) {
    if (runAs == null || runAs.equals(System.getProperty("user.name"))) {
      return null;
    }
    if (System.getProperty("os.name", "").toLowerCase().contains("win") || !"root".equals(System.getProperty("user.name"))) {
      return "program runs as " + runAs + " but this agent runs as " + System.getProperty("user.name")
          + " and cannot switch accounts";
    }
    return null;
  }

  private static TaskOutcome withTally(TaskOutcome o, Tally t) {
    String out = o.output();
    int max = 60 * 1024;
    if (out.length() > max) {
      out = out.substring(out.length() - max);
    }
    return new TaskOutcome(o.status(), o.exitCode(), out + (out.isEmpty() || out.endsWith("\n") ? "" : "\n") + t.line());
  }
}
