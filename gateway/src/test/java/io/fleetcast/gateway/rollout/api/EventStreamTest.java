package io.fleetcast.gateway.rollout.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The back-pressure policy of one event stream, with a fake connection whose queue can be full. */
class EventStreamTest {
  static final long SLOW = 30_000_000_000L;

  static final class FakeSink implements EventStream.Sink {
    boolean full;
    final List<String> written = new ArrayList<>();
    String ended;
    boolean closed;

    public boolean writeQueueFull() {
      return full;
    }

    public void write(String chunk) {
      written.add(chunk);
    }

    public void end(String last) {
      ended = last;
    }

    public void close() {
      closed = true;
    }
  }

  /** A client that reads gets every snapshot as it comes. */
  @Test
  void readingClientGetsEverySnapshot() {
    FakeSink sink = new FakeSink();
    EventStream s = new EventStream(sink, "t", SLOW);
    assertThat(s.offer("a", 0)).isEqualTo(EventStream.Outcome.WRITTEN);
    assertThat(s.offer("b", 1)).isEqualTo(EventStream.Outcome.WRITTEN);
    assertThat(sink.written).containsExactly("a", "b");
  }

  /** While the queue is full nothing is written; only the newest snapshot is kept and written on drain. */
  @Test
  void fullQueueKeepsOnlyTheNewestSnapshot() {
    FakeSink sink = new FakeSink();
    EventStream s = new EventStream(sink, "t", SLOW);
    sink.full = true;
    assertThat(s.offer("a", 0)).isEqualTo(EventStream.Outcome.HELD);
    assertThat(s.offer("b", 1)).isEqualTo(EventStream.Outcome.COALESCED);
    assertThat(s.offer("c", 2)).isEqualTo(EventStream.Outcome.COALESCED);
    s.keepalive(3);
    assertThat(sink.written).isEmpty();
    sink.full = false;
    s.drained();
    assertThat(sink.written).containsExactly("c");
    s.drained();
    assertThat(sink.written).containsExactly("c");
  }

  /** A client whose queue stays full for the slow-consumer time is closed, once; one that drains in time is not. */
  @Test
  void clientFullForTooLongIsClosed() {
    FakeSink sink = new FakeSink();
    EventStream s = new EventStream(sink, "t", SLOW);
    sink.full = true;
    s.offer("a", 0);
    assertThat(s.check(SLOW - 1)).isFalse();
    sink.full = false;
    assertThat(s.check(SLOW + 1)).as("it read meanwhile").isFalse();
    sink.full = true;
    s.offer("b", SLOW + 2);
    assertThat(s.check(2 * SLOW + 1)).isFalse();
    assertThat(s.check(2 * SLOW + 2)).isTrue();
    assertThat(sink.closed).isTrue();
    assertThat(s.check(3 * SLOW)).as("reported once").isFalse();
    assertThat(s.offer("c", 3 * SLOW)).isEqualTo(EventStream.Outcome.CLOSED);
  }

  /** finish writes the last event and ends the stream; nothing is written after it. */
  @Test
  void finishEndsTheStream() {
    FakeSink sink = new FakeSink();
    EventStream s = new EventStream(sink, "t", SLOW);
    s.finish("event: closed\n\n");
    assertThat(sink.ended).isEqualTo("event: closed\n\n");
    assertThat(s.offer("a", 0)).isEqualTo(EventStream.Outcome.CLOSED);
    assertThat(sink.written).isEmpty();
  }
}
