package io.fleetcast.agent.task;

import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.function.BiConsumer;

/** What a running task kind may use: its task, its cancellation, the agent's context, a progress sink. */
public final class TaskContext {
  private final NodeMessage.Task task;
  private final Cancellation cancellation;
  private final Vertx vertx;
  private final Context context;
  private final BiConsumer<Integer, String> progress;

  public TaskContext(NodeMessage.Task task, Cancellation cancellation, Vertx vertx, Context context,
      BiConsumer<Integer, String> progress) {
    this.task = task;
    this.cancellation = cancellation;
    this.vertx = vertx;
    this.context = context;
    this.progress = progress;
  }

  public NodeMessage.Task task() {
    return task;
  }

  public String taskId() {
    return task.taskId();
  }

  public Cancellation cancellation() {
    return cancellation;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The agent's context: kinds complete their futures here. */
  public Context context() {
    return context;
  }

  public Instant deadline() {
    return task.deadline();
  }

  /** Sends an optional {@code progress} frame (best effort, not persisted). */
  public void progress(int percent, String message) {
    progress.accept(Math.max(0, Math.min(100, percent)), message);
  }
}
