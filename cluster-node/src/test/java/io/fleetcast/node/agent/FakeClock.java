package io.fleetcast.node.agent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A monotonic nanosecond clock that moves only when a test says so (instead of sleeping). */
final class FakeClock implements LongSupplier {
  // an arbitrary start, far from zero like System.nanoTime()
  private final AtomicLong nanos = new AtomicLong(TimeUnit.DAYS.toNanos(3));

  @Override
  public long getAsLong() {
    return nanos.get();
  }

  void advanceMillis(long millis) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }
}
