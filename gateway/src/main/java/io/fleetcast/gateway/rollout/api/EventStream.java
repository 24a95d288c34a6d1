package io.fleetcast.gateway.rollout.api;

/**
 * One Server-Sent Events client and what it may cost. Progress events are snapshots, so a client
 * that does not read (its write queue is full) loses nothing by missing some: the newest one is
 * kept and written when the queue drains, the others are dropped (coalesced), and a client that
 * stays full longer than the slow-consumer time is closed. Pure: the connection is behind
 * {@link Sink}; the caller passes the time. Synchronized: the timers and the connection's drain
 * handler may run on different event loops.
 */
public final class EventStream {

  /** The connection. */
  interface Sink {
    boolean writeQueueFull();

    void write(String chunk);

    /** Writes the last chunk and ends the stream normally. */
    void end(String last);

    /** Drops the connection (the client is not reading: ending it politely would only queue more). */
    void close();
  }

  /** What {@link #offer} did: written, held back as the newest, replaced an older held-back one, or closed. */
  enum Outcome { WRITTEN, HELD, COALESCED, CLOSED }

  private final Sink sink;
  private final String tokenId;
  private final long slowConsumerNanos;
  private String pending;
  private long fullSince = -1;
  private boolean closed;

  public EventStream(Sink sink, String tokenId, long slowConsumerNanos) {
    this.sink = sink;
    this.tokenId = tokenId;
    this.slowConsumerNanos = slowConsumerNanos;
  }

  String tokenId() {
    return tokenId;
  }

  synchronized boolean closed() {
    return closed;
  }

  /** A progress snapshot: written now, or kept as the newest one while the client does not read. */
  synchronized Outcome offer(String event, long now) {
    if (closed) {
      return Outcome.CLOSED;
    }
    if (sink.writeQueueFull()) {
      boolean replaced = pending != null;
      pending = event;
      if (check(now)) {
        return Outcome.CLOSED;
      }
      return replaced ? Outcome.COALESCED : Outcome.HELD;
    }
    fullSince = -1;
    pending = null;
    sink.write(event);
    return Outcome.WRITTEN;
  }

  /** The queue drained: write the newest snapshot held back, if any. */
  synchronized void drained() {
    if (closed) {
      return;
    }
    fullSince = -1;
    if (pending != null && !sink.writeQueueFull()) {
      String p = pending;
      pending = null;
      sink.write(p);
    }
  }

  /** A comment line that keeps proxies from timing the stream out; skipped while the client is behind. */
  synchronized void keepalive(long now) {
    if (!closed && !check(now) && !sink.writeQueueFull()) {
      sink.write(": keepalive\n\n");
    }
  }

  /** True (once: the connection is dropped) when the client has not read for longer than the slow-consumer time. */
  synchronized boolean check(long now) {
    if (closed) {
      return false;
    }
    if (!sink.writeQueueFull()) {
      fullSince = -1;
      return false;
    }
    if (fullSince < 0) {
      fullSince = now;
      return false;
    }
    if (now - fullSince >= slowConsumerNanos) {
      closed = true;
      sink.close();
      return true;
    }
    return false;
  }

  /** Ends the stream with a last event (the final counts, or why it is closed). */
  synchronized void finish(String last) {
    if (!closed) {
      closed = true;
      sink.end(last);
    }
  }

  /** Marks the stream gone (the client closed it). */
  synchronized void gone() {
    closed = true;
  }
}
