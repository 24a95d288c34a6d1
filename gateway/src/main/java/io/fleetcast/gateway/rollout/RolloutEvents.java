package io.fleetcast.gateway.rollout;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.gateway.api.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live rollout progress as Server-Sent Events. Changes stored by nodes are coalesced: a
 * subscriber gets at most one {@code progress} event per interval with the current counts,
 * never one per result, and a {@code final} event when the rollout ends.
 */
public final class RolloutEvents {
  private static final long INTERVAL_MS = 250;

  private final Vertx vertx;
  private final RolloutStore store;
  private final Map<UUID, Set<HttpServerResponse>> subscribers = new ConcurrentHashMap<>();
  private final Set<UUID> dirty = ConcurrentHashMap.newKeySet();
  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;
  private long keepalive = -1;

  public RolloutEvents(Vertx vertx, RolloutStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.PROGRESS, msg -> {
      for (Object o : msg.body().getJsonArray("rollouts")) {
        UUID id = UUID.fromString((String) o);
        if (subscribers.containsKey(id)) {
          dirty.add(id);
        }
      }
    });
    timer = vertx.setPeriodic(INTERVAL_MS, t -> flush());
    keepalive = vertx.setPeriodic(15_000, t -> subscribers.values().forEach(set -> set.forEach(r -> {
      if (!r.closed()) {
        r.write(": keepalive\n\n");
      }
    })));
    return consumer.completion();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(keepalive);
    subscribers.values().forEach(set -> set.forEach(r -> {
      if (!r.closed() && !r.ended()) {
        r.end();
      }
    }));
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  public void stream(RoutingContext ctx, UUID id) {
    store.reads().describe(id).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      if (ar.result() == null) {
        ctx.fail(Problem.notFound("no rollout " + id));
        return;
      }
      HttpServerResponse res = ctx.response();
      res.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
          .putHeader("X-Accel-Buffering", "no");
      JsonObject snapshot = ar.result();
      res.write(event("progress", snapshot));
      if (isFinal(snapshot)) {
        res.end(event("final", snapshot));
        return;
      }
      subscribers.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(res);
      res.closeHandler(v -> unsubscribe(id, res));
      // the state may have changed between the snapshot and the subscription
      dirty.add(id);
    });
  }

  private void unsubscribe(UUID id, HttpServerResponse res) {
    Set<HttpServerResponse> set = subscribers.get(id);
    if (set != null) {
      set.remove(res);
      if (set.isEmpty()) {
        subscribers.remove(id, set);
      }
    }
  }

  private void flush() {
    if (dirty.isEmpty()) {
      return;
    }
    Set<UUID> ids = new HashSet<>(dirty);
    dirty.removeAll(ids);
    Map<UUID, Future<JsonObject>> reads = new HashMap<>();
    ids.forEach(id -> reads.put(id, store.reads().describe(id)));
    reads.forEach((id, f) -> f.onSuccess(j -> {
      Set<HttpServerResponse> set = subscribers.get(id);
      if (set == null || j == null) {
        return;
      }
      boolean fin = isFinal(j);
      for (HttpServerResponse r : set) {
        if (r.closed() || r.ended()) {
          continue;
        }
        r.write(event("progress", j));
        if (fin) {
          r.end(event("final", j));
        }
      }
      if (fin) {
        subscribers.remove(id);
      }
    }));
  }

  static boolean isFinal(JsonObject rollout) {
    String state = rollout.getString("state");
    if (RolloutState.FINAL.contains(state)) {
      return true;
    }
    return RolloutState.HALTED.equals(state) && rollout.getString("finishedAt") != null;
  }

  static String event(String name, JsonObject data) {
    return "event: " + name + "\ndata: " + data.encode() + "\n\n";
  }
}
