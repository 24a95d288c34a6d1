package io.fleetcast.agent.task;

import io.fleetcast.agent.AgentListener;
import io.fleetcast.agent.connection.NodeLink;
import io.fleetcast.protocol.log.Kv;
import io.fleetcast.agent.results.ResultFrames;
import io.fleetcast.agent.results.ResultOutbox;
import io.fleetcast.protocol.AgentMessage.Ack;
import io.fleetcast.protocol.AgentMessage.Progress;
import io.fleetcast.protocol.AgentMessage.Result;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.NodeMessage.Task;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes a {@code task} from the node to its result: de-duplicate (never run an id twice),
 * verify (signature, deadline, scope, kind, spec), record the id durably, {@code ack}, wait
 * for {@code notBefore}, ask for consent, run the kind, store the result, send it. Also
 * handles {@code cancel}. Lives on the agent's context.
 */
public final class TaskManager {
  private static final Logger LOG = Logger.getLogger(TaskManager.class.getName());
  private static final int MAX_EARLY_CANCELS = 1000;

  private final Vertx vertx;
  private final Context context;
  private final WorkerExecutor io;
  private final TaskHistory history;
  private final ResultOutbox outbox;
  private final TaskVerifier verifier;
  private final io.fleetcast.agent.tags.AssignedTags assignedTags;
  /** Tasks waiting for the assigned-tags lookup: a re-delivery meanwhile is a duplicate. */
  private final java.util.Set<String> awaitingTags = new java.util.HashSet<>();
  private final ConsentGate consent;
  private final Map<String, TaskKind> kinds;
  private final NodeLink link;
  private final AgentListener listener;
  private final Clock clock;
  private final EarlyReports early;

  private final Map<String, Running> running = new HashMap<>();
  private final LinkedHashSet<String> earlyCancels = new LinkedHashSet<>();
  private boolean stopping;

  /** A task between acceptance and its stored result. */
  private static final class Running {
    final Task task;
    final Cancellation cancellation = new Cancellation();
    final Promise<Void> done = Promise.promise();
    boolean acked;

    Running(Task task) {
      this.task = task;
    }
  }

  private final java.util.Set<String> deferred = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public TaskManager(Vertx vertx, Context context, WorkerExecutor io, TaskHistory history, ResultOutbox outbox,
      TaskVerifier verifier, io.fleetcast.agent.tags.AssignedTags assignedTags, ConsentGate consent,
      List<TaskKind> kinds, NodeLink link, AgentListener listener, Clock clock, java.time.Duration ackGrace) {
    this.vertx = vertx;
    this.context = context;
    this.io = io;
    this.history = history;
    this.outbox = outbox;
    this.verifier = verifier;
    this.assignedTags = assignedTags;
    this.consent = consent;
    this.kinds = new HashMap<>();
    kinds.forEach(k -> this.kinds.put(k.name(), k));
    this.link = link;
    this.listener = listener;
    this.clock = clock;
    this.early = new EarlyReports(vertx, link, ackGrace);
  }

  public int runningCount() {
    return running.size();
  }

  /**
   * After a restart: a task recorded as accepted but without a result was cut off by the stop.
   * It is never run again; it gets a {@code failed} result saying so.
   */
  public Future<Void> recoverInterrupted() {
    return recoverInterrupted(java.util.Set.of());
  }

  /**
   * Like {@link #recoverInterrupted()}, leaving out the tasks in {@code deferred}: a self-update
   * task spans the restart on purpose, and its result comes from {@link #finishDeferred}.
   */
  public Future<Void> recoverInterrupted(java.util.Set<String> deferred) {
    this.deferred.addAll(deferred);
    List<Future<?>> all = new ArrayList<>();
    for (TaskHistory.Entry e : history.unfinished()) {
      if (deferred.contains(e.taskId())) {
        continue;
      }
      Optional<Result> stored = outbox.pending(e.taskId());
      Result r = stored.orElseGet(() -> new Result(e.taskId(), TaskStatus.FAILED, null,
          "[fleetcast] the agent stopped while this task was running; it is not run again", null, clock.instant()));
      all.add(outbox.store(r, fitted -> history.markFinished(fitted, e.deadline())));
      LOG.info(Kv.event("task.interrupted").kv("taskId", e.taskId()).toString());
    }
    return Future.all(all).mapEmpty();
  }

  /**
   * Records and sends the result of a task accepted by an earlier process (the self-update task,
   * finished by the version that came up, or by the one rolled back to). Idempotent: a task
   * already finished is left alone.
   */
  public Future<Void> finishDeferred(String taskId, TaskOutcome outcome) {
    deferred.remove(taskId);
    Optional<TaskHistory.Entry> e = history.get(taskId);
    if (e.isEmpty() || e.get().state() == TaskHistory.State.FINISHED) {
      return Future.succeededFuture();
    }
    Instant deadline = e.get().deadline();
    Result result = new Result(taskId, outcome.status(), outcome.exitCode(), outcome.output(), e.get().acceptedAt(),
        clock.instant());
    return outbox.store(result, fitted -> history.markFinished(fitted, deadline)).map(fitted -> {
      LOG.info(Kv.event("task.finished").kv("taskId", taskId).kv("kind", "agentUpdate")
          .kv("status", fitted.status().wire()).toString());
      listener.onTaskFinished(fitted);
      outbox.send(fitted);
      return null;
    });
  }

  public void onTask(Task task) {
    String id = task.taskId();
    String forged = verifier.authenticityProblem(task);
    if (forged != null) {
      // not recorded, not answered: a forged frame with a real task id must not pre-empt the real task
      LOG.warning(Kv.event("task.ignored").kv("taskId", id).kv("reason", forged).toString());
      listener.onTaskIgnored(id, forged);
      return;
    }
    if (awaitingTags.contains(id)) {
      duplicate(id, "awaiting-tags");
      return;
    }
    Running r = running.get(id);
    if (r != null) {
      // still running: a re-delivery only means the node did not see our ack
      if (r.acked && early.holding(id)) {
        early.release(id);
      } else if (r.acked) {
        link.send(new Ack(id));
      }
      duplicate(id, "running");
      return;
    }
    Optional<TaskHistory.Entry> seen = history.get(id);
    if (seen.isPresent() && seen.get().state() == TaskHistory.State.ACCEPTED && deferred.contains(id)) {
      // a self-update spanning the restart: its result comes once the outcome is known
      link.send(new Ack(id));
      duplicate(id, "deferred");
      return;
    }
    if (seen.isPresent()) {
      Result again = outbox.pending(id).orElseGet(() -> seen.get().summaryResult());
      outbox.send(again);
      duplicate(id, "finished");
      return;
    }
    if (stopping) {
      return;
    }
    String reason = rejectionReason(task);
    if (reason != null && verifier.onlyTagsMissing(task)) {
      // maybe tags an admin assigned after enrollment: ask the gateway (bounded), then decide
      awaitingTags.add(id);
      assignedTags.refresh().onComplete(ar -> {
        awaitingTags.remove(id);
        if (!stopping) {
          admit(task, rejectionReason(task));
        }
      });
      return;
    }
    admit(task, reason);
  }

  /** Runs the task ({@code reason} null), or answers it {@code rejected} for {@code reason}. */
  private void admit(Task task, String reason) {
    String id = task.taskId();
    if (reason == null && earlyCancels.remove(id)) {
      finish(new Running(task), new TaskOutcome(TaskStatus.CANCELLED, null, "cancelled before it arrived"), null);
      return;
    }
    if (reason != null) {
      LOG.info(Kv.event("task.rejected").kv("taskId", id).kv("kind", task.kind()).kv("reason", reason).toString());
      finish(new Running(task), TaskOutcome.rejected(reason), null);
      return;
    }
    Running run = new Running(task);
    running.put(id, run);
    io.executeBlocking(() -> {
      history.markAccepted(id, task.deadline());
      return null;
    }).onComplete(ar -> {
      if (ar.failed()) {
        // not recorded means not protected against a second run: refuse rather than risk it
        running.remove(id);
        LOG.log(Level.WARNING, Kv.event("task.record.failed").kv("taskId", id).toString(), ar.cause());
        link.send(new Result(id, TaskStatus.REJECTED, null, "agent cannot record the task in its state dir: "
            + ar.cause().getMessage(), null, clock.instant()));
        run.done.tryComplete();
        return;
      }
      run.acked = true;
      early.accepted(id);
      LOG.fine(() -> Kv.event("task.accepted").kv("taskId", id).kv("kind", task.kind()).toString());
      execute(run);
    });
  }

  public void onCancel(NodeMessage.Cancel cancel) {
    String taskId = cancel.taskId();
    if (!verifier.cancelTrusted(cancel)) {
      // a node cannot stop or pre-empt a task: only the gateway's signed cancel counts
      LOG.warning(Kv.event("cancel.ignored").kv("taskId", taskId).kv("reason", "unsigned or bad signature").toString());
      return;
    }
    Running r = running.get(taskId);
    if (r != null) {
      LOG.info(Kv.event("task.cancel").kv("taskId", taskId).toString());
      r.cancellation.cancel();
    } else if (history.get(taskId).isEmpty()) {
      // the cancel overtook its task: answer the task "cancelled" if it still comes
      earlyCancels.add(taskId);
      if (earlyCancels.size() > MAX_EARLY_CANCELS) {
        earlyCancels.remove(earlyCancels.iterator().next());
      }
    }
  }

  /** Graceful stop: cancels everything running and waits (bounded) until their results are on disk. */
  public Future<Void> stopAll(long waitMillis) {
    stopping = true;
    List<Future<Void>> done = new ArrayList<>();
    for (Running r : new ArrayList<>(running.values())) {
      r.cancellation.cancel();
      done.add(r.done.future());
    }
    if (done.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> bounded = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, waitMillis), id -> bounded.tryComplete());
    Future.join(done).onComplete(ar -> {
      vertx.cancelTimer(timer);
      bounded.tryComplete();
    });
    return bounded.future();
  }

  /** Called once {@link TaskVerifier#authenticityProblem} passed: deadline, scope, kind and spec. */
  private String rejectionReason(Task task) {
    String reason = verifier.validityProblem(task);
    if (reason != null) {
      return reason;
    }
    TaskKind kind = kinds.get(task.kind());
    if (kind == null) {
      return "unknown kind: '" + task.kind() + "' (this agent runs " + String.join(", ", kinds.keySet()) + ")";
    }
    return kind.validate(task.spec());
  }

  private void execute(Running run) {
    Task task = run.task;
    if (task.notBefore() != null && clock.instant().isBefore(task.notBefore()) && kinds.containsKey(task.kind())) {
      kinds.get(task.kind()).prepare(task, run.cancellation); // pre-staging: download now, run at the time
    }
    waitUntil(task.notBefore(), run.cancellation)
        .compose(v -> run.cancellation.cancelled() ? Future.succeededFuture(null) : consent.check(task,
            run.cancellation))
        .compose(declined -> {
          if (run.cancellation.cancelled()) {
            return Future.succeededFuture(new Started(TaskOutcome.cancelled("cancelled before it started"), null));
          }
          if (declined != null) {
            return Future.succeededFuture(new Started(TaskOutcome.declined(declined), null));
          }
          if (!task.deadline().isAfter(clock.instant())) {
            return Future.succeededFuture(new Started(TaskOutcome.rejected("deadline passed before the task could "
                + "start: " + task.deadline()), null));
          }
          Instant startedAt = clock.instant();
          // the node records the target as running on the first progress report (held with the ack)
          early.started(task.taskId());
          listener.onTaskStarted(task.taskId(), task.kind());
          TaskContext ctx = new TaskContext(task, run.cancellation, vertx, context,
              (pct, msg) -> onContext(() -> {
                early.release(task.taskId());
                link.send(new Progress(task.taskId(), pct, msg == null ? "" : msg));
              }));
          Future<TaskOutcome> outcome;
          try {
            outcome = kinds.get(task.kind()).run(ctx);
          } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
          }
          return outcome.map(o -> new Started(o, startedAt));
        })
        .recover(e -> {
          LOG.log(Level.WARNING, Kv.event("task.error").kv("taskId", task.taskId()).toString(), e);
          return Future.succeededFuture(new Started(TaskOutcome.failed("agent error: " + e.getMessage()), null));
        })
        .onSuccess(s -> finish(run, s.outcome(), s.startedAt()));
  }

  private record Started(TaskOutcome outcome, Instant startedAt) {}

  /** Kinds may report progress from another thread (a download's handlers); the held reports live on ours. */
  private void onContext(Runnable r) {
    if (Vertx.currentContext() == context) {
      r.run();
    } else {
      context.runOnContext(v -> r.run());
    }
  }

  private Future<Void> waitUntil(Instant notBefore, Cancellation cancellation) {
    if (notBefore == null || !clock.instant().isBefore(notBefore)) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    waitStep(notBefore, cancellation, p);
    cancellation.onCancel(p::tryComplete);
    return p.future();
  }

  /** Timers have millisecond resolution and may fire early by a fraction: check again until really due. */
  private void waitStep(Instant notBefore, Cancellation cancellation, Promise<Void> p) {
    long nanos = java.time.Duration.between(clock.instant(), notBefore).toNanos();
    if (nanos <= 0 || cancellation.cancelled()) {
      p.tryComplete();
      return;
    }
    vertx.setTimer(Math.max(1, (nanos + 999_999) / 1_000_000), id -> waitStep(notBefore, cancellation, p));
  }

  private void finish(Running run, TaskOutcome outcome, Instant startedAt) {
    Task task = run.task;
    Result result = new Result(task.taskId(), outcome.status(), outcome.exitCode(), outcome.output(), startedAt,
        clock.instant(), outcome.error());
    outbox.store(result, fitted -> history.markFinished(fitted, task.deadline())).onComplete(ar -> {
      early.finished(task.taskId());
      running.remove(task.taskId());
      run.done.tryComplete();
      if (ar.failed()) {
        // the disk failed us: send anyway so the server learns the outcome; it cannot be re-sent later
        LOG.log(Level.WARNING, Kv.event("result.store.failed").kv("taskId", task.taskId()).toString(), ar.cause());
        outbox.send(ResultFrames.fit(result, ResultFrames.DEFAULT_MAX_FRAME_BYTES));
        return;
      }
      Result fitted = ar.result();
      if (outcome.status() != TaskStatus.REJECTED) {
        LOG.info(Kv.event("task.finished").kv("taskId", task.taskId()).kv("kind", task.kind())
            .kv("status", fitted.status().wire()).kv("exitCode", fitted.exitCode()).toString());
      }
      listener.onTaskFinished(fitted);
      outbox.send(fitted);
    });
  }

  private void duplicate(String id, String state) {
    LOG.fine(() -> Kv.event("task.duplicate").kv("taskId", id).kv("state", state).toString());
    listener.onDuplicateTask(id);
  }
}
