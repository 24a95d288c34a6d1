package io.fleetcast.agent.results;

import io.fleetcast.agent.AgentListener;
import io.fleetcast.agent.connection.NodeLink;
import io.fleetcast.protocol.AgentMessage.Result;
import io.fleetcast.protocol.NodeMessage.ResultAck;
import io.fleetcast.protocol.log.Kv;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.util.List;
import java.util.logging.Logger;

/**
 * The result path: fit the frame, write to disk (with the caller's other durable step), only
 * then send; delete on {@code resultAck}; re-send everything still on disk after each
 * (re)connect. Used on the agent's context.
 */
public final class ResultOutbox {
  private static final Logger LOG = Logger.getLogger(ResultOutbox.class.getName());

  /** A durable step done together with storing the result (e.g. recording the task as finished). */
  public interface DurableStep {
    void run(Result fitted) throws IOException;
  }

  private final ResultStore store;
  private final WorkerExecutor io;
  private final NodeLink link;
  private final int maxFrameBytes;
  private final AgentListener listener;

  public ResultOutbox(ResultStore store, WorkerExecutor io, NodeLink link, int maxFrameBytes,
      AgentListener listener) {
    this.store = store;
    this.io = io;
    this.link = link;
    this.maxFrameBytes = maxFrameBytes;
    this.listener = listener;
  }

  /** Makes {@code r} durable (together with {@code also}); the returned result is what will be sent. */
  public Future<Result> store(Result r, DurableStep also) {
    Result fitted = ResultFrames.fit(r, maxFrameBytes);
    return io.executeBlocking(() -> {
      store.put(fitted);
      also.run(fitted);
      return fitted;
    });
  }

  /** Sends if a node is connected; otherwise the result waits on disk for the next connection. */
  public void send(Result r) {
    if (!link.up()) {
      return;
    }
    link.send(r).onSuccess(v -> listener.onResultSent(r.taskId()))
        .onFailure(e -> LOG.fine(() -> Kv.event("result.send.failed").kv("taskId", r.taskId())
            .kv("error", e.getMessage()).toString()));
  }

  /** The stored, unacknowledged result for a task id, if any. */
  public java.util.Optional<Result> pending(String taskId) {
    return store.get(taskId);
  }

  public int pendingCount() {
    return store.size();
  }

  /** After {@code welcome}: everything not yet acknowledged goes out again, oldest first. */
  public void resendAll() {
    List<Result> all = store.pending();
    if (!all.isEmpty()) {
      LOG.info(Kv.event("results.resend").kv("count", all.size()).toString());
    }
    all.forEach(this::send);
  }

  public void acked(ResultAck ack) {
    if (!ack.stored()) {
      // the node refused it for good (e.g. task unknown to it): keeping it would re-send it forever
      LOG.warning(Kv.event("result.refused").kv("taskId", ack.taskId()).kv("error", ack.error()).toString());
    }
    io.executeBlocking(() -> store.remove(ack.taskId())).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warning(Kv.event("result.delete.failed").kv("taskId", ack.taskId()).kv("error", ar.cause().getMessage())
            .toString());
      } else if (ar.result()) {
        listener.onResultAcked(ack.taskId(), ack.stored());
      }
    });
  }
}
