package io.fleetcast.load.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OpenLoopStreamTest {
  private static final long MS = 1_000_000L;

  private final EventLoop loop = new DefaultEventLoop();
  private final FleetStats stats = new FleetStats();
  /** Task ids in the order the stream sent them; written and read on the loop only. */
  private final List<String> sent = new ArrayList<>();

  @AfterEach
  void stopLoop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  /** The stream sends its tasks in order without waiting for any acknowledgement, and stops at the deadline by itself. */
  @Test
  void sendsOnScheduleUntilTheDeadline() throws Exception {
    // GIVEN 100 tasks, one send every 10 ms, a deadline 200 ms after the start
    String[] tasks = tasks(100);
    long start = System.nanoTime();
    startStream(tasks, 10 * MS, start, start + 200 * MS);
    // WHEN nothing is acknowledged and the deadline passes
    Thread.sleep(400);
    List<String> out = sentSoFar();
    // THEN 20 or 21 results left (phase in [0, 10 ms)), the tasks' first ones in order, all outstanding
    assertThat(out).hasSizeBetween(20, 21).isEqualTo(List.of(tasks).subList(0, out.size()));
    assertThat(stats.ingestOutstanding.sum()).isEqualTo(out.size());
    Thread.sleep(100);
    assertThat(sentSoFar()).hasSize(out.size());
  }

  /** The stream ends after its last task even with time left. */
  @Test
  void stopsAfterItsLastTask() throws Exception {
    String[] tasks = tasks(3);
    long start = System.nanoTime();
    startStream(tasks, 10 * MS, start, start + 10_000 * MS);
    Thread.sleep(300);
    assertThat(sentSoFar()).containsExactly(tasks);
  }

  /** Each resultAck yields its own result's latency, in any order, once; a foreign or repeated ack yields -1. */
  @Test
  void acknowledgementsMatchTheirOwnSend() throws Exception {
    String[] tasks = tasks(5);
    long start = System.nanoTime();
    OpenLoopStream stream = startStream(tasks, MS, start, start + 10_000 * MS);
    Thread.sleep(200);
    assertThat(sentSoFar()).hasSize(5);
    long now = System.nanoTime();
    long third = onLoop(() -> stream.acknowledged(tasks[2], now));
    assertThat(third).isPositive().isLessThan(now - start);
    assertThat(onLoop(() -> stream.acknowledged(tasks[2], now))).isEqualTo(-1);
    assertThat(onLoop(() -> stream.acknowledged("not-ours", now))).isEqualTo(-1);
    assertThat(stats.ingestOutstanding.sum()).isEqualTo(4);
    long first = onLoop(() -> stream.acknowledged(tasks[0], now));
    assertThat(first).isGreaterThanOrEqualTo(third);
    for (int i : new int[] {4, 1, 3}) {
      assertThat(onLoop(() -> stream.acknowledged(tasks[i], now))).isNotNegative();
    }
    assertThat(stats.ingestOutstanding.sum()).isZero();
  }

  private OpenLoopStream startStream(String[] tasks, long periodNanos, long start, long deadline) throws Exception {
    OpenLoopStream.Plan plan = new OpenLoopStream.Plan(tasks, new OpenLoopSchedule(periodNanos), start, deadline);
    OpenLoopStream stream = new OpenLoopStream(loop, sent::add, plan, stats);
    loop.submit(stream::start).get();
    return stream;
  }

  private List<String> sentSoFar() throws Exception {
    return loop.submit(() -> List.copyOf(sent)).get();
  }

  private long onLoop(java.util.concurrent.Callable<Long> c) throws Exception {
    return loop.submit(c).get();
  }

  private static String[] tasks(int n) {
    return IntStream.range(0, n).mapToObj(i -> "task-" + i).toArray(String[]::new);
  }
}
