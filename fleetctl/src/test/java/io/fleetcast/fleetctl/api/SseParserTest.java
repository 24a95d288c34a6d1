package io.fleetcast.fleetctl.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static List<SseEvent> parse(String... lines) {
    SseParser p = new SseParser();
    List<SseEvent> out = new ArrayList<>();
    for (String l : lines) {
      p.line(l).ifPresent(out::add);
    }
    return out;
  }

  /** Named events end at a blank line; comments (keep-alives) are skipped. */
  @Test
  void namedEventsAndComments() {
    assertThat(parse(": keepalive", "", "event: progress", "data: {\"a\":1}", "", "event: final", "data:{}", ""))
        .containsExactly(new SseEvent("progress", "{\"a\":1}"), new SseEvent("final", "{}"));
  }

  /** Several data lines join with line breaks; an unnamed event is a "message". */
  @Test
  void multiLineDataAndDefaultName() {
    assertThat(parse("data: one", "data: two", "")).containsExactly(new SseEvent("message", "one\ntwo"));
  }

  /** An event without a terminating blank line is not delivered (the stream broke mid-event). */
  @Test
  void incompleteEventIsNotDelivered() {
    assertThat(parse("event: progress", "data: {}")).isEmpty();
  }
}
