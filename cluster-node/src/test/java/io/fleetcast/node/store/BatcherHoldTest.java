package io.fleetcast.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.node.store.BatcherTest.Callbacks;
import io.fleetcast.node.store.BatcherTest.HeldWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A {@link FlushHold} delays the writes of new items, and gives way at the high-water mark and on close. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class BatcherHoldTest {

  /** Full batches wait while the hold says so and are written, in order, as soon as it stops. */
  @Test
  void fullBatchesWaitForTheHoldToEnd(Vertx vertx) throws Exception {
    // GIVEN batches of 2 rows, a 5 ms time limit and a hold that keeps asking for 5 ms more
    HeldWriter writer = new HeldWriter();
    AtomicBoolean holding = new AtomicBoolean(true);
    Batcher<Integer, String> b = new Batcher<>(vertx, "t", 2, 5, 4, 1000, writer)
        .hold((oldest, now) -> holding.get() ? 5 : 0);
    Callbacks cb = new Callbacks();

    // WHEN four items (two full batches) are submitted while the hold lasts
    for (int i = 0; i < 4; i++) {
      cb.submit(b, i);
    }

    // THEN nothing is written for 300 ms; once the hold ends both batches go
    assertThat(writer.calls.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(b.queued()).isEqualTo(4);
    holding.set(false);
    HeldWriter.Call first = writer.next();
    HeldWriter.Call second = writer.next();
    assertThat(first.items()).containsExactly(0, 1);
    assertThat(second.items()).containsExactly(2, 3);
    first.succeed();
    second.succeed();
    BatcherTest.waitUntil(() -> cb.done() == 4);
  }

  /** At the high-water mark a hold no longer delays the write: back-pressure is never held up. */
  @Test
  void theHighWaterMarkEndsTheHold(Vertx vertx) throws Exception {
    // GIVEN batches of 4, high water at 6 and a hold that never ends
    HeldWriter writer = new HeldWriter();
    Batcher<Integer, String> b = new Batcher<>(vertx, "t", 4, 5, 1, 6, writer).hold((oldest, now) -> 5);
    Callbacks cb = new Callbacks();

    // WHEN 5 items wait, then a sixth arrives
    for (int i = 0; i < 5; i++) {
      cb.submit(b, i);
    }
    assertThat(writer.calls.poll(200, TimeUnit.MILLISECONDS)).isNull();
    cb.submit(b, 5);

    // THEN a batch is written despite the hold
    HeldWriter.Call call = writer.next();
    assertThat(call.items()).containsExactly(0, 1, 2, 3);
    call.succeed();
  }

  /** The hold is asked with the oldest queued item's submit time, and closing writes everything without asking. */
  @Test
  void holdSeesTheOldestItemAndCloseIgnoresIt(Vertx vertx) throws Exception {
    // GIVEN a hold that records what it is asked and never ends
    java.util.concurrent.atomic.AtomicLong askedOldest = new java.util.concurrent.atomic.AtomicLong();
    long before = System.nanoTime();
    Batcher<Integer, String> b = new Batcher<Integer, String>(vertx, "t", 10, 5, 2, 1000,
        items -> Future.succeededFuture(items.stream().map(i -> "o").toList()))
        .hold((oldest, now) -> {
          askedOldest.compareAndSet(0, oldest);
          return 5;
        });
    Callbacks cb = new Callbacks();
    cb.submit(b, 1);
    BatcherTest.waitUntil(() -> askedOldest.get() != 0);
    cb.submit(b, 2);

    // WHEN the batcher is flushed and closed
    b.flushAndClose().await(10, TimeUnit.SECONDS);

    // THEN the hold saw the first item's time and both items were written
    assertThat(askedOldest.get()).isBetween(before, System.nanoTime());
    assertThat(cb.outcomes).hasSize(2);
  }
}
