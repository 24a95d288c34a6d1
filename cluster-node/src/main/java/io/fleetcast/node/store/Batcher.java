package io.fleetcast.node.store;

import io.fleetcast.common.log.Kv;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Collects items from any thread and writes them in batches bounded by rows and by time
 * (a batch leaves when it is full or when its oldest item has waited {@code maxMillis}).
 * Up to {@code maxInFlight} batches are written at once; a failed batch is retried with
 * back-off, never dropped. Above {@code highWater} queued items the batcher reports itself
 * overloaded, and callers waiting via {@link #whenDrained} are resumed once it is back below
 * {@code highWater / 2}: that is the back-pressure that pauses agent sockets.
 *
 * <p>All batching state lives on one Vert.x context; {@link #submit} is thread-safe.
 *
 * @param <I> the item written
 * @param <O> the per-item outcome returned by the writer, in input order
 */
public final class Batcher<I, O> {
  private static final Logger LOG = Logger.getLogger(Batcher.class.getName());

  private record Entry<I, O>(I item, BiConsumer<O, Throwable> done, long submittedNanos) {}

  private record Attempt<I, O>(List<Entry<I, O>> batch, int attempts) {}

  private final Vertx vertx;
  private final Context context;
  private final String name;
  private final int maxRows;
  private final long maxMillis;
  private final int maxInFlight;
  private final int highWater;
  private final Function<List<I>, Future<List<O>>> writer;

  private final Queue<Entry<I, O>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final Queue<Runnable> drainWaiters = new ConcurrentLinkedQueue<>();
  // context-confined
  private final ArrayDeque<Attempt<I, O>> retries = new ArrayDeque<>();
  private int inFlight;
  private long timerId = -1;
  private long retryDelayMs = 0;
  private long backoffMs = 0;
  private boolean closed;
  private int maxAttempts = Integer.MAX_VALUE;
  private FlushHold hold = FlushHold.NONE;
  private boolean closing;

  public Batcher(Vertx vertx, String name, int maxRows, long maxMillis, int maxInFlight, int highWater,
      Function<List<I>, Future<List<O>>> writer) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.name = name;
    this.maxRows = maxRows;
    this.maxMillis = maxMillis;
    this.maxInFlight = maxInFlight;
    this.highWater = highWater;
    this.writer = writer;
  }

  /**
   * Gives up on a batch after this many failed writes, failing its items, for stores whose
   * data is soft (it is re-sent or rebuilt anyway). Results keep the default: never give up.
   */
  public Batcher<I, O> maxAttempts(int attempts) {
    this.maxAttempts = attempts;
    return this;
  }

  /**
   * Lets {@code hold} keep new items queued a little longer before each write (results wait while
   * the node dispatches). At the high-water mark, on retries and while closing nothing is held.
   */
  public Batcher<I, O> hold(FlushHold hold) {
    this.hold = hold;
    return this;
  }

  /** Queues one item; {@code done} runs (on the batcher's context) once its batch is written. */
  public void submit(I item, BiConsumer<O, Throwable> done) {
    queue.add(new Entry<>(item, done, System.nanoTime()));
    int n = size.incrementAndGet();
    if (n == 1 || n >= maxRows) {
      wakeup();
    }
  }

  public int queued() {
    return size.get();
  }

  public boolean overloaded() {
    return size.get() >= highWater;
  }

  /** Runs {@code action} once the queue is back under half the high-water mark (at once if it is). */
  public void whenDrained(Runnable action) {
    drainWaiters.add(action);
    if (size.get() < highWater / 2) {
      wakeup();
    }
  }

  /** Writes what is queued and stops accepting timers; for orderly shutdown. */
  public Future<Void> flushAndClose() {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    context.runOnContext(x -> {
      closing = true;
      flush();
      waitIdle(p, 0);
    });
    return p.future();
  }

  private void waitIdle(io.vertx.core.Promise<Void> p, int attempts) {
    if ((inFlight == 0 && size.get() == 0 && retries.isEmpty()) || attempts > 100) {
      closed = true;
      p.tryComplete();
    } else {
      vertx.setTimer(50, t -> {
        flush();
        waitIdle(p, attempts + 1);
      });
    }
  }

  private void wakeup() {
    if (wakeupPending.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        wakeupPending.set(false);
        onWakeup();
      });
    }
  }

  private void onWakeup() {
    releaseDrainWaiters();
    if (size.get() >= maxRows) {
      flush();
    } else if (size.get() > 0) {
      armTimer();
    }
  }

  private void armTimer() {
    armTimer(maxMillis);
  }

  private void armTimer(long delayMillis) {
    if (timerId < 0 && !closed) {
      timerId = vertx.setTimer(Math.max(1, delayMillis), t -> {
        timerId = -1;
        flush();
      });
    }
  }

  private void flush() {
    while (inFlight < maxInFlight && retryDelayMs == 0 && !retries.isEmpty()) {
      Attempt<I, O> a = retries.poll();
      write(a.batch(), a.attempts());
    }
    long holdMillis = holdMillis();
    if (holdMillis > 0) {
      armTimer(holdMillis);
      releaseDrainWaiters();
      return;
    }
    while (inFlight < maxInFlight && retryDelayMs == 0 && size.get() > 0) {
      List<Entry<I, O>> batch = new ArrayList<>(Math.min(maxRows, size.get()));
      Entry<I, O> e;
      while (batch.size() < maxRows && (e = queue.poll()) != null) {
        batch.add(e);
      }
      size.addAndGet(-batch.size());
      if (batch.isEmpty()) {
        break;
      }
      write(batch, 0);
    }
    if (size.get() > 0 && inFlight < maxInFlight) {
      armTimer();
    }
    releaseDrainWaiters();
  }

  /** How long the hold keeps new items back now; 0 when nothing is queued, closing or at the high-water mark. */
  private long holdMillis() {
    Entry<I, O> oldest = queue.peek();
    if (oldest == null || closing || size.get() >= highWater) {
      return 0;
    }
    return hold.holdMillis(oldest.submittedNanos(), System.nanoTime());
  }

  private void write(List<Entry<I, O>> batch, int attempts) {
    inFlight++;
    List<I> items = new ArrayList<>(batch.size());
    for (Entry<I, O> e : batch) {
      items.add(e.item());
    }
    Future<List<O>> f;
    try {
      f = writer.apply(items);
    } catch (RuntimeException ex) {
      f = Future.failedFuture(ex);
    }
    f.onComplete(ar -> context.runOnContext(v -> {
      inFlight--;
      if (ar.succeeded()) {
        backoffMs = 0;
        List<O> out = ar.result();
        for (int i = 0; i < batch.size(); i++) {
          complete(batch.get(i), out.get(i), null);
        }
        flushIfDue();
      } else if (attempts + 1 >= maxAttempts) {
        LOG.severe(Kv.event("batch.dropped", "batcher", name, "rows", batch.size(), "attempts", attempts + 1,
            "error", ar.cause().getMessage()));
        batch.forEach(e -> complete(e, null, ar.cause()));
        flushIfDue();
      } else {
        retries.addFirst(new Attempt<>(batch, attempts + 1));
        backoffMs = Math.min(5_000, Math.max(100, backoffMs * 2));
        if (retryDelayMs == 0) {
          retryDelayMs = backoffMs;
          LOG.warning(Kv.event("batch.write_failed", "batcher", name, "rows", batch.size(), "attempt", attempts + 1,
              "retryInMs", retryDelayMs, "error", ar.cause().getMessage()));
          vertx.setTimer(retryDelayMs, t -> {
            retryDelayMs = 0;
            flush();
          });
        }
      }
    }));
  }

  private void complete(Entry<I, O> e, O outcome, Throwable error) {
    try {
      e.done().accept(outcome, error);
    } catch (RuntimeException ex) {
      LOG.warning(Kv.event("batch.callback_failed", "batcher", name, "error", ex.toString()));
    }
  }

  private void flushIfDue() {
    // items that arrived while a batch was in flight have already waited; write them now
    if (size.get() > 0 || !retries.isEmpty()) {
      flush();
    } else {
      releaseDrainWaiters();
    }
  }

  private void releaseDrainWaiters() {
    if (size.get() < highWater / 2) {
      Runnable r;
      while ((r = drainWaiters.poll()) != null) {
        r.run();
      }
    }
  }
}
