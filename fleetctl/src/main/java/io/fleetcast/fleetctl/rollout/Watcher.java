package io.fleetcast.fleetctl.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetcast.fleetctl.api.ApiClient;
import io.fleetcast.fleetctl.api.ApiException;
import io.fleetcast.fleetctl.api.EventStream;
import io.fleetcast.fleetctl.api.SseEvent;
import io.fleetcast.fleetctl.output.Json;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Follows a rollout until it is over (completed, cancelled, expired or halted). The event
 * stream is a convenience, not the truth: when it stays quiet for a while the rollout is read
 * directly (a state change can happen without an event, e.g. across a gateway failover), and
 * when it ends early (gateway restart, proxy timeout) it is reopened.
 */
public final class Watcher {
  private static final String FINAL = "final";
  private static final Duration QUIET_CHECK = Duration.ofSeconds(3);
  private static final Duration FINAL_GRACE = Duration.ofSeconds(1);
  private static final int MAX_BROKEN_STREAMS = 10;
  private static final long RECONNECT_PAUSE_MS = 1000;

  private final ApiClient api;
  private final Consumer<SseEvent> onEvent;

  public Watcher(ApiClient api, Consumer<SseEvent> onEvent) {
    this.api = api;
    this.onEvent = onEvent;
  }

  /** Blocks until the rollout is over; yields its last state. */
  public JsonNode watch(String rolloutId) {
    String path = "/api/v1/rollouts/" + ApiClient.segment(rolloutId);
    int broken = 0;
    try {
      while (true) {
        try (EventStream stream = api.events(path + "/events")) {
          JsonNode over = follow(stream, path);
          if (over != null) {
            return over;
          }
        } catch (ApiException e) {
          if (e.status() != 0 || ++broken >= MAX_BROKEN_STREAMS) {
            throw e; // a real answer (404, 401), or a gateway that stays away
          }
        }
        JsonNode now = api.get(path);
        if (WatchOutcome.isOver(now)) {
          return now;
        }
        Thread.sleep(RECONNECT_PAUSE_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unreachable(api.baseUrl(), "interrupted while watching");
    }
  }

  /** Reads one stream; yields the rollout once it is over, or null when the stream ended first. */
  private JsonNode follow(EventStream stream, String path) throws InterruptedException {
    while (true) {
      EventStream.Item item = stream.next(QUIET_CHECK);
      if (item instanceof EventStream.Event e) {
        onEvent.accept(e.event());
        JsonNode data = parse(e.event());
        if (data != null && WatchOutcome.isOver(data)) {
          if (!e.event().name().equals(FINAL)) {
            finalEvent(stream, data);
          }
          return data;
        }
      } else if (item instanceof EventStream.Quiet) {
        JsonNode now = api.get(path);
        if (WatchOutcome.isOver(now)) {
          onEvent.accept(new SseEvent(FINAL, Json.compact(now)));
          return now;
        }
      } else {
        return null;
      }
    }
  }

  /**
   * Consumers are promised that the last event is {@code final}. The gateway sends it right
   * after the progress event that shows the end (for a halted rollout only once its last
   * running targets finished), so wait briefly for it, and stand in for it otherwise.
   */
  private void finalEvent(EventStream stream, JsonNode last) throws InterruptedException {
    EventStream.Item next = stream.next(FINAL_GRACE);
    if (next instanceof EventStream.Event e && e.event().name().equals(FINAL)) {
      onEvent.accept(e.event());
    } else {
      onEvent.accept(new SseEvent(FINAL, Json.compact(last)));
    }
  }

  private static JsonNode parse(SseEvent e) {
    try {
      JsonNode n = Json.parse(e.data());
      return n.isObject() ? n : null;
    } catch (IllegalArgumentException ex) {
      return null;
    }
  }
}
