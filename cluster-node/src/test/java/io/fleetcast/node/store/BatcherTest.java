package io.fleetcast.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Batching by rows and time, bounded concurrency, retries and back-pressure of the result writer. */
@ExtendWith(VertxExtension.class)
@Timeout(20)
class BatcherTest {

  /** A writer whose batches the test completes by hand. */
  static final class HeldWriter implements Function<List<Integer>, Future<List<String>>> {
    record Call(List<Integer> items, Promise<List<String>> promise) {
      void succeed() {
        promise.complete(items.stream().map(i -> "out-" + i).toList());
      }
    }

    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    final AtomicInteger outstanding = new AtomicInteger();
    final AtomicInteger maxOutstanding = new AtomicInteger();

    @Override
    public Future<List<String>> apply(List<Integer> items) {
      Promise<List<String>> p = Promise.promise();
      maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
      p.future().onComplete(ar -> outstanding.decrementAndGet());
      calls.add(new Call(List.copyOf(items), p));
      return p.future();
    }

    Call next() throws InterruptedException {
      Call c = calls.poll(30, TimeUnit.SECONDS);
      assertThat(c).as("a write within 30 s").isNotNull();
      return c;
    }
  }

  /** Outcomes and errors as delivered to the submitters' callbacks. */
  static final class Callbacks {
    final Map<Integer, String> outcomes = new ConcurrentHashMap<>();
    final Map<Integer, Throwable> errors = new ConcurrentHashMap<>();
    final List<Integer> order = new CopyOnWriteArrayList<>();
    final AtomicInteger offEventLoop = new AtomicInteger();

    void submit(Batcher<Integer, String> b, int item) {
      b.submit(item, (out, err) -> {
        if (!Context.isOnEventLoopThread()) {
          offEventLoop.incrementAndGet();
        }
        order.add(item);
        if (err != null) {
          errors.put(item, err);
        } else {
          outcomes.put(item, out);
        }
      });
    }

    int done() {
      return outcomes.size() + errors.size();
    }
  }

  static void waitUntil(BooleanSupplier cond) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!cond.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(end);
      Thread.sleep(5);
    }
  }

  /** A full batch leaves at once, long before the time limit, while a batch that is not full waits for it. */
  @Test
  void flushesByRows(Vertx vertx) throws Exception {
    // GIVEN a batcher of 3 rows whose time limit is a minute, fed from its own event loop
    HeldWriter writer = new HeldWriter();
    Context context = vertx.getOrCreateContext();
    Batcher<Integer, String> b = onContext(context, () -> new Batcher<>(vertx, "t", 3, 60_000, 4, 1000, writer));
    Callbacks cb = new Callbacks();

    // WHEN 6 items are submitted at once, and later a seventh
    onContext(context, () -> {
      for (int i = 0; i < 6; i++) {
        cb.submit(b, i);
      }
      return null;
    });
    HeldWriter.Call first = writer.next();
    HeldWriter.Call second = writer.next();
    onContext(context, () -> null); // the flush that wrote them has returned
    cb.submit(b, 6);
    onContext(context, () -> null); // and the wake-up for the seventh has run on the same loop

    // THEN the two full batches are written at once and the seventh item waits for its time limit
    assertThat(List.of(first.items(), second.items())).containsExactly(List.of(0, 1, 2), List.of(3, 4, 5));
    assertThat(writer.calls).isEmpty();
    assertThat(b.queued()).isEqualTo(1);
    first.succeed();
    second.succeed();
    Future<Void> closed = b.flushAndClose();
    writer.next().succeed();
    closed.await(5, TimeUnit.SECONDS);
    assertThat(cb.outcomes).hasSize(7);
  }

  /** Returns once a 50 ms timer set on {@code context} has fired: every shorter timer set there before ran first. */
  static void settled(Vertx vertx, Context context) throws Exception {
    java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> vertx.setTimer(50, id -> f.complete(null)));
    f.get(30, TimeUnit.SECONDS);
  }

  static <T> T onContext(Context context, java.util.concurrent.Callable<T> action) throws Exception {
    java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        f.complete(action.call());
      } catch (Exception e) {
        f.completeExceptionally(e);
      }
    });
    return f.get(30, TimeUnit.SECONDS);
  }

  /** A batch that does not fill leaves once its oldest item has waited maxMillis, as one write. */
  @Test
  void flushesByTime(Vertx vertx) throws Exception {
    // GIVEN a batcher of 1000 rows and 100 ms
    HeldWriter writer = new HeldWriter();
    Batcher<Integer, String> b = new Batcher<>(vertx, "t", 1000, 100, 4, 1000, writer);
    Callbacks cb = new Callbacks();

    // WHEN three items are submitted
    long t0 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      cb.submit(b, i);
    }

    // THEN they are written together, not before the time limit (a lower bound: load only
    // delays the timer; that it fires at all is the bounded wait of next())
    HeldWriter.Call call = writer.next();
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(call.items()).containsExactly(0, 1, 2);
    assertThat(waitedMs).isGreaterThanOrEqualTo(90L);
    call.succeed();
    waitUntil(() -> cb.done() == 3);
  }

  /** No more than maxInFlight batches are written at once; the next starts when one finishes. */
  @Test
  void respectsMaxInFlight(Vertx vertx) throws Exception {
    // GIVEN a batcher of 1-row batches, at most 2 in flight, with a writer that holds each batch
    HeldWriter writer = new HeldWriter();
    Context context = vertx.getOrCreateContext();
    Batcher<Integer, String> b = onContext(context, () -> new Batcher<>(vertx, "t", 1, 5, 2, 1000, writer));
    Callbacks cb = new Callbacks();

    // WHEN 6 items are submitted
    for (int i = 0; i < 6; i++) {
      cb.submit(b, i);
    }

    // THEN only two writes start; each completion lets exactly one more start (checked once the
    // batcher's loop has run past its 5 ms flush timer: a later timer on that loop fires after it)
    HeldWriter.Call a = writer.next();
    HeldWriter.Call c = writer.next();
    settled(vertx, context);
    assertThat(writer.calls).isEmpty();
    a.succeed();
    HeldWriter.Call d = writer.next();
    settled(vertx, context);
    assertThat(writer.calls).isEmpty();
    c.succeed();
    d.succeed();
    for (int i = 0; i < 3; i++) {
      writer.next().succeed();
    }
    waitUntil(() -> cb.done() == 6);
    assertThat(writer.maxOutstanding.get()).isEqualTo(2);
    assertThat(cb.outcomes).hasSize(6);
  }

  /** Each submitter gets the outcome of its own item, in submission order, on the batcher's event loop. */
  @Test
  void deliversOutcomesToTheRightCallbacksInOrder(Vertx vertx) throws Exception {
    // GIVEN a writer that answers each item with a value derived from it
    Batcher<Integer, String> b = new Batcher<>(vertx, "t", 7, 5, 3, 10_000,
        items -> Future.succeededFuture(items.stream().map(i -> "out-" + i).toList()));
    Callbacks cb = new Callbacks();

    // WHEN 100 items are submitted
    for (int i = 0; i < 100; i++) {
      cb.submit(b, i);
    }
    waitUntil(() -> cb.done() == 100);

    // THEN every callback got its own item's outcome, in order, on an event loop
    for (int i = 0; i < 100; i++) {
      assertThat(cb.outcomes.get(i)).isEqualTo("out-" + i);
    }
    List<Integer> sorted = new ArrayList<>(cb.order);
    Collections.sort(sorted);
    assertThat(cb.order).isEqualTo(sorted);
    assertThat(cb.offEventLoop.get()).isZero();
  }

  /** A failing write is retried with growing back-off, and no item is lost or answered twice. */
  @Test
  void retriesFailedWritesWithBackoff(Vertx vertx) throws Exception {
    // GIVEN a writer that fails twice before the database comes back
    List<Long> callTimes = new CopyOnWriteArrayList<>();
    List<List<Integer>> written = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(2);
    Batcher<Integer, String> b = new Batcher<>(vertx, "t", 100, 5, 1, 10_000, items -> {
      callTimes.add(System.nanoTime());
      if (failuresLeft.getAndDecrement() > 0) {
        return Future.failedFuture(new IllegalStateException("database down"));
      }
      written.add(List.copyOf(items));
      return Future.succeededFuture(items.stream().map(i -> "out-" + i).toList());
    });
    Callbacks cb = new Callbacks();

    // WHEN items are submitted
    for (int i = 0; i < 10; i++) {
      cb.submit(b, i);
    }
    waitUntil(() -> cb.done() == 10);

    // THEN they were written once after two failed attempts spaced by a growing back-off
    assertThat(callTimes).hasSize(3);
    long firstGap = TimeUnit.NANOSECONDS.toMillis(callTimes.get(1) - callTimes.get(0));
    long secondGap = TimeUnit.NANOSECONDS.toMillis(callTimes.get(2) - callTimes.get(1));
    assertThat(firstGap).isGreaterThanOrEqualTo(90);
    assertThat(secondGap).isGreaterThanOrEqualTo(190);
    assertThat(written).containsExactly(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    assertThat(cb.errors).isEmpty();
    assertThat(cb.order).hasSize(10).doesNotHaveDuplicates();
  }

  /** With maxAttempts, a batch that keeps failing is dropped and its callbacks fail; later items still flow. */
  @Test
  void maxAttemptsDropsAndFailsCallbacks(Vertx vertx) throws Exception {
    // GIVEN a soft-state batcher giving up after 2 attempts, and a writer that fails until told otherwise
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger healthy = new AtomicInteger();
    Batcher<Integer, String> b = new Batcher<Integer, String>(vertx, "t", 100, 5, 1, 10_000, items -> {
      calls.incrementAndGet();
      return healthy.get() > 0 ? Future.succeededFuture(items.stream().map(i -> "out-" + i).toList())
          : Future.failedFuture(new IllegalStateException("constraint violated"));
    }).maxAttempts(2);
    Callbacks cb = new Callbacks();

    // WHEN items are submitted and every write fails
    cb.submit(b, 1);
    cb.submit(b, 2);
    waitUntil(() -> cb.done() == 2);
    int callsWhenDropped = calls.get();
    healthy.set(1);
    cb.submit(b, 3);
    waitUntil(() -> cb.done() == 3);

    // THEN the batch was tried twice, its callbacks got the error, and a later item is written
    assertThat(callsWhenDropped).isEqualTo(2);
    assertThat(cb.errors).containsOnlyKeys(1, 2);
    assertThat(cb.errors.get(1)).hasMessage("constraint violated");
    assertThat(cb.outcomes).containsExactly(Map.entry(3, "out-3"));
  }

  /**
   * Above the high-water mark the batcher reports overload; a drain waiter runs once, only when the
   * queue is back under half the mark.
   */
  @Test
  void backPressureWaiterRunsBelowHalfHighWater(Vertx vertx) throws Exception {
    // GIVEN batches of 4, one in flight at a time, high water at 10, and a first batch the database holds
    HeldWriter writer = new HeldWriter();
    Batcher<Integer, String> b = new Batcher<>(vertx, "t", 4, 5, 1, 10, writer);
    Callbacks cb = new Callbacks();
    cb.submit(b, 0);
    HeldWriter.Call first = writer.next();

    // WHEN 12 more items queue up behind it and a reader waits for the drain
    for (int i = 1; i <= 12; i++) {
      cb.submit(b, i);
    }
    boolean overloaded = b.overloaded();
    CountDownLatch resumed = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger queuedWhenResumed = new AtomicInteger(-1);
    b.whenDrained(() -> {
      runs.incrementAndGet();
      queuedWhenResumed.set(b.queued());
      resumed.countDown();
    });

    // THEN it is overloaded; the waiter stays parked while 12 and then 8 items wait, and runs once 4 wait
    assertThat(overloaded).isTrue();
    assertThat(resumed.await(150, TimeUnit.MILLISECONDS)).isFalse();
    first.succeed();
    HeldWriter.Call second = writer.next();
    assertThat(second.items()).containsExactly(1, 2, 3, 4);
    assertThat(resumed.await(150, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(b.queued()).isEqualTo(8);
    second.succeed();
    HeldWriter.Call third = writer.next();
    assertThat(resumed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(queuedWhenResumed.get()).isEqualTo(4).isLessThan(10 / 2);
    assertThat(b.overloaded()).isFalse();
    third.succeed();
    writer.next().succeed();
    waitUntil(() -> cb.done() == 13);
    assertThat(runs.get()).isEqualTo(1);
  }

  /** A drain waiter registered while the queue is short runs at once. */
  @Test
  void waiterRunsAtOnceWhenNotOverloaded(Vertx vertx) throws Exception {
    // GIVEN an idle batcher
    Batcher<Integer, String> b = new Batcher<>(vertx, "t", 10, 5, 1, 10,
        items -> Future.succeededFuture(items.stream().map(i -> "o").toList()));

    // WHEN a waiter is registered
    CountDownLatch ran = new CountDownLatch(1);
    b.whenDrained(ran::countDown);

    // THEN it runs without any write
    assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
  }

  /** flushAndClose writes every queued item, waiting out a failed attempt, before it completes. */
  @Test
  void flushAndCloseWritesEverything(Vertx vertx) throws Exception {
    // GIVEN items waiting for a time limit of a minute, and a writer whose first attempt fails
    List<Integer> written = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(1);
    Batcher<Integer, String> b = new Batcher<>(vertx, "t", 3, 60_000, 2, 10_000, items -> {
      if (failuresLeft.getAndDecrement() > 0) {
        return Future.failedFuture(new IllegalStateException("blip"));
      }
      written.addAll(items);
      return Future.succeededFuture(items.stream().map(i -> "o").toList());
    });
    Callbacks cb = new Callbacks();
    for (int i = 0; i < 8; i++) {
      cb.submit(b, i);
    }

    // WHEN the batcher is flushed and closed
    b.flushAndClose().await(10, TimeUnit.SECONDS);

    // THEN everything was written and every callback answered
    assertThat(written).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(cb.outcomes).hasSize(8);
    assertThat(b.queued()).isZero();
  }
}
