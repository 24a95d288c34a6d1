package io.fleetcast.fleetctl.api;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An open Server-Sent Events stream read with a timeout, so that the reader can do something
 * else (check the resource, give up) while the server is quiet. A daemon thread reads the
 * lines and hands parsed events over a queue.
 */
public final class EventStream implements AutoCloseable {

  /** What {@link #next} found: an event, nothing yet, or the end of the stream. */
  public sealed interface Item {}

  /** An event arrived. */
  public record Event(SseEvent event) implements Item {}

  /** Nothing arrived within the timeout. */
  public record Quiet() implements Item {}

  /** The stream ended, normally ({@code error} null) or broken. */
  public record Ended(Throwable error) implements Item {}

  private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
  private final Stream<String> lines;
  private volatile boolean ended;

  EventStream(Stream<String> lines) {
    this.lines = lines;
    Thread reader = new Thread(this::read, "fleetctl-events");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    SseParser parser = new SseParser();
    try {
      Iterator<String> it = lines.iterator();
      while (it.hasNext()) {
        parser.line(it.next()).ifPresent(e -> items.add(new Event(e)));
      }
      items.add(new Ended(null));
    } catch (RuntimeException e) {
      items.add(new Ended(e));
    }
  }

  /** Waits up to {@code timeout} for the next event; {@link Quiet} if none came. */
  public Item next(Duration timeout) throws InterruptedException {
    if (ended) {
      return new Ended(null);
    }
    Item item = items.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (item instanceof Ended) {
      ended = true;
    }
    return item == null ? new Quiet() : item;
  }

  @Override
  public void close() {
    ended = true;
    lines.close();
  }
}
