package io.fleetcast.fleetctl.api;

import java.util.Optional;

/**
 * Turns the lines of a {@code text/event-stream} into events (the subset of the HTML
 * standard the gateway uses: {@code event}, multi-line {@code data}, comments, blank line
 * as the end of an event).
 */
public final class SseParser {
  private String name;
  private StringBuilder data;

  /** Feeds one line (without its line break); yields an event when the line completes one. */
  public Optional<SseEvent> line(String line) {
    if (line.isEmpty()) {
      return dispatch();
    }
    if (line.startsWith(":")) {
      return Optional.empty(); // comment, e.g. the gateway's keep-alive
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> name = value;
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      default -> { } // id, retry and unknown fields are not used
    }
    return Optional.empty();
  }

  private Optional<SseEvent> dispatch() {
    Optional<SseEvent> event = data == null ? Optional.empty()
        : Optional.of(new SseEvent(name == null ? "message" : name, data.toString()));
    name = null;
    data = null;
    return event;
  }
}
