package io.fleetcast.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.protocol.AgentMessage;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Live output chunks: only for watched tasks, split at 4,096 characters, at most 16 a second, stopped by seconds = 0. */
@Timeout(20)
class LiveOutputTest {
  final Vertx vertx = Vertx.vertx();
  final List<AgentMessage.Output> sent = new CopyOnWriteArrayList<>();
  final LiveOutput live = new LiveOutput(vertx.getOrCreateContext(), m -> sent.add((AgentMessage.Output) m));

  @AfterEach
  void close() {
    vertx.close().await();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  void settle() throws InterruptedException {
    // chunks are handed to the agent's context; a no-op task queued behind them marks the end
    java.util.concurrent.CountDownLatch l = new java.util.concurrent.CountDownLatch(1);
    vertx.getOrCreateContext().runOnContext(v -> l.countDown());
    assertThat(l.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50);
  }

  /** Nothing is sent for a task nobody watches; a watched task's output is chunked and numbered. */
  @Test
  void onlyWatchedTasksStreamInBoundedChunks() throws Exception {
    live.wrote("t", bytes("unwatched"), 0, 9);
    live.watch("t", 30);
    byte[] big = bytes("a".repeat(AgentMessage.Output.MAX_CHUNK + 10));
    live.wrote("t", big, 0, big.length);
    settle();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).data()).hasSize(AgentMessage.Output.MAX_CHUNK);
    assertThat(sent.get(1).data()).hasSize(10);
    assertThat(sent).extracting(AgentMessage.Output::seq).containsExactly(0L, 1L);
    live.watch("t", 0);
    live.wrote("t", bytes("after stop"), 0, 10);
    settle();
    assertThat(sent).hasSize(2);
  }

  /** A burst above 16 chunks a second is cut; the seq numbers show the gap. */
  @Test
  void burstsAreRateLimited() throws Exception {
    live.watch("t", 30);
    for (int i = 0; i < 40; i++) {
      live.wrote("t", bytes("x"), 0, 1);
    }
    settle();
    assertThat(sent).hasSize(LiveOutput.MAX_CHUNKS_PER_SECOND);
  }
}
