package io.fleetcast.agent.task;

import io.fleetcast.protocol.AgentMessage;
import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Output of running tasks that someone watches (the node asked with {@code watchOutput}), sent as
 * bounded {@code output} chunks: at most {@link AgentMessage.Output#MAX_CHUNK} characters each and
 * {@link #MAX_CHUNKS_PER_SECOND} a second per task; beyond that chunks are dropped (the watcher
 * sees a gap in {@code seq}; the result still carries the output's tail). Nothing is sent for
 * tasks nobody watches, and a watch lapses unless renewed.
 */
public final class LiveOutput {
  public static final int MAX_CHUNKS_PER_SECOND = 16;

  private record Watch(long untilNanos, long seq, long windowStart, int inWindow) {}

  private final Context context;
  private final Consumer<AgentMessage> send;
  private final ConcurrentHashMap<String, Watch> watches = new ConcurrentHashMap<>();

  public LiveOutput(Context context, Consumer<AgentMessage> send) {
    this.context = context;
    this.send = send;
  }

  /** Watch {@code taskId} for {@code seconds} from now (0 stops). */
  public void watch(String taskId, int seconds) {
    if (seconds <= 0) {
      watches.remove(taskId);
      return;
    }
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    watches.merge(taskId, new Watch(until, 0, 0, 0), (old, x) -> new Watch(until, old.seq(), old.windowStart(),
        old.inWindow()));
  }

  /** The task ended: forget its watch. */
  public void finished(String taskId) {
    if (taskId != null) {
      watches.remove(taskId);
    }
  }

  /** Called by the output reader thread with what the process just wrote. */
  public void wrote(String taskId, byte[] buf, int off, int len) {
    if (taskId == null || len <= 0 || !watches.containsKey(taskId)) {
      return;
    }
    String text = new String(buf, off, len, StandardCharsets.UTF_8);
    for (int i = 0; i < text.length(); i += AgentMessage.Output.MAX_CHUNK) {
      String part = text.substring(i, Math.min(text.length(), i + AgentMessage.Output.MAX_CHUNK));
      long now = System.nanoTime();
      Watch w = watches.computeIfPresent(taskId, (k, old) -> {
        if (now > old.untilNanos()) {
          return null; // lapsed: nobody renewed it
        }
        boolean newWindow = now - old.windowStart() > 1_000_000_000L;
        int in = newWindow ? 1 : old.inWindow() + 1;
        return new Watch(old.untilNanos(), old.seq() + 1, newWindow ? now : old.windowStart(), in);
      });
      if (w == null) {
        return;
      }
      if (w.inWindow() <= MAX_CHUNKS_PER_SECOND) {
        AgentMessage.Output chunk = new AgentMessage.Output(taskId, w.seq() - 1, part);
        context.runOnContext(v -> send.accept(chunk));
      }
    }
  }
}
