package io.fleetcast.agent.task.kinds;

import io.fleetcast.agent.task.Cancellation;
import io.fleetcast.agent.task.OutputTail;
import io.fleetcast.agent.task.TaskOutcome;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one real process off the event loop: started on a worker thread, its merged
 * stdout+stderr pumped by a daemon thread into an {@link OutputTail}, its exit observed through
 * {@link Process#onExit()}. Timeout and cancel kill the whole process tree (TERM, then KILL
 * after a grace period). All state changes happen on the agent's context.
 */
public final class ProcessRunner {

  /** What to run. {@code env} is added to the agent's environment. */
  /** A process to run for task {@code taskId} (whose output is streamed while someone watches it). */
  public record Spec(String taskId, List<String> command, Map<String, String> env, Path workDir, Duration timeout) {}

  private final Context context;
  private final WorkerExecutor worker;
  private final Duration killGrace;

  private final io.fleetcast.agent.task.LiveOutput live;

  public ProcessRunner(Context context, WorkerExecutor worker, Duration killGrace, io.fleetcast.agent.task.LiveOutput live) {
    this.live = live;
    this.context = context;
    this.worker = worker;
    this.killGrace = killGrace;
  }

  /** Must be called on the agent's context. Never fails: a process that cannot start is a failed outcome. */
  public Future<TaskOutcome> run(Spec spec, Cancellation cancellation) {
    Promise<TaskOutcome> promise = Promise.promise();
    worker.<Process>executeBlocking(() -> start(spec), false).onComplete(ar -> {
      if (ar.failed()) {
        String why = startFailure(spec.command().get(0), ar.cause());
        promise.complete(new TaskOutcome(TaskStatus.FAILED, null, why + "\n" + ar.cause().getMessage(), why));
      } else {
        new Run(ar.result(), spec, cancellation, promise).begin();
      }
    });
    return promise.future();
  }

  /** The short reason a process did not start: "command not found: x" rather than a JDK message. */
  static String startFailure(String command, Throwable cause) {
    String msg = String.valueOf(cause.getMessage());
    // the JDK reports the OS error number: ENOENT (2), EACCES (13); Windows: 2 = file not found, 5 = access denied
    if (msg.contains("error=2,") || msg.contains("CreateProcess error=2")) {
      return "command not found: " + command;
    }
    if (msg.contains("error=13,") || msg.contains("CreateProcess error=5")) {
      return "permission denied: " + command + " is not executable";
    }
    return "cannot start " + command + ": " + msg;
  }

  private static Process start(Spec spec) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(spec.command()).redirectErrorStream(true);
    if (spec.workDir() != null) {
      pb.directory(spec.workDir().toFile());
    }
    if (spec.env() != null) {
      pb.environment().putAll(spec.env());
    }
    Process p = pb.start();
    // nothing is ever typed into a task: close stdin so that a process reading it sees EOF, not a hang
    p.getOutputStream().close();
    return p;
  }

  /** One running process. Fields are touched only on the agent's context. */
  private final class Run {
    private final Process process;
    private final Spec spec;
    private final Cancellation cancellation;
    private final Promise<TaskOutcome> promise;
    private final OutputTail tail = new OutputTail();
    private boolean exited;
    private boolean outputDone;
    private boolean timedOut;
    private boolean cancelled;
    private boolean finished;
    private long timeoutTimer = -1;
    private long drainTimer = -1;
    private List<ProcessHandle> killed;

    Run(Process process, Spec spec, Cancellation cancellation, Promise<TaskOutcome> promise) {
      this.process = process;
      this.spec = spec;
      this.cancellation = cancellation;
      this.promise = promise;
    }

    void begin() {
      Thread reader = new Thread(this::pump, "fleetcast-output-" + process.pid());
      reader.setDaemon(true);
      reader.start();
      process.onExit().whenComplete((p, e) -> context.runOnContext(v -> onExit()));
      timeoutTimer = context.owner().setTimer(Math.max(1, spec.timeout().toMillis()), id -> {
        timeoutTimer = -1;
        timedOut = true;
        killTree();
      });
      cancellation.onCancel(() -> context.runOnContext(v -> {
        if (!finished) {
          cancelled = true;
          killTree();
        }
      }));
    }

    private void pump() {
      byte[] buf = new byte[8192];
      try (InputStream in = process.getInputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          tail.append(buf, 0, n);
          live.wrote(spec.taskId(), buf, 0, n);
        }
      } catch (IOException ignored) {
        // the stream closes when the process tree dies; what was read is kept
      }
      live.finished(spec.taskId());
      context.runOnContext(v -> {
        outputDone = true;
        if (exited) {
          finish();
        }
      });
    }

    private void onExit() {
      exited = true;
      if (outputDone) {
        finish();
      } else {
        // a background child may keep the pipe open forever: give the output a moment, then report anyway
        drainTimer = context.owner().setTimer(2000, id -> finish());
      }
    }

    private void killTree() {
      if (killed != null || finished) {
        return;
      }
      // collect descendants first: once the parent dies they are re-parented and out of reach
      killed = new ArrayList<>(process.descendants().toList());
      killed.add(process.toHandle());
      killed.forEach(ProcessHandle::destroy);
      context.owner().setTimer(Math.max(1, killGrace.toMillis()), id -> killed.forEach(h -> {
        if (h.isAlive()) {
          h.destroyForcibly();
        }
      }));
    }

    private void finish() {
      if (finished) {
        return;
      }
      finished = true;
      if (timeoutTimer >= 0) {
        context.owner().cancelTimer(timeoutTimer);
      }
      if (drainTimer >= 0) {
        context.owner().cancelTimer(drainTimer);
      }
      String output = tail.text();
      if (cancelled) {
        promise.complete(new TaskOutcome(TaskStatus.CANCELLED, null,
            output + "\n[fleetcast] cancelled: process tree killed", "cancelled: process tree killed"));
      } else if (timedOut) {
        String why = "timed out after " + spec.timeout().toSeconds() + " s: process tree killed";
        promise.complete(new TaskOutcome(TaskStatus.TIMED_OUT, null, output + "\n[fleetcast] " + why, why));
      } else {
        int code = process.exitValue();
        promise.complete(new TaskOutcome(code == 0 ? TaskStatus.SUCCEEDED : TaskStatus.FAILED, code, output));
      }
    }
  }
}
