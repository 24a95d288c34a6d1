package io.fleetcast.gateway.rollout.api;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.ProgressMessage;
import io.fleetcast.common.rollout.RolloutState;
import io.fleetcast.gateway.auth.Principal;
import io.fleetcast.gateway.http.Http;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.fleetcast.gateway.rollout.RolloutStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Live rollout progress as Server-Sent Events. Changes stored by nodes are coalesced: a
 * subscriber gets at most one {@code progress} event per interval with the current counts,
 * never one per result, and a {@code final} event when the rollout ends. A stream lives no
 * longer than its API token: every {@code tokenCheck} the tokens of open streams are looked up
 * (one query) and the streams of revoked ones end with a {@code closed} event. A client that does
 * not read is never buffered for: see {@link EventStream}.
 */
public final class RolloutEvents {
  private static final long INTERVAL_MS = 250;
  private static final long KEEPALIVE_MS = 15_000;
  /** Bytes queued for one stream before it counts as not reading (a few progress events). */
  static final int WRITE_QUEUE_BYTES = 16 * 1024;

  /** How streams are bounded. */
  public record Limits(Duration tokenCheck, Duration slowConsumer) {}

  private final Vertx vertx;
  private final RolloutStore store;
  private final GatewayMetrics metrics;
  private final Function<Collection<String>, Future<Set<String>>> activeTokens;
  private final Limits limits;
  private final Map<UUID, Set<EventStream>> subscribers = new ConcurrentHashMap<>();
  private final Set<UUID> dirty = ConcurrentHashMap.newKeySet();
  private MessageConsumer<ProgressMessage> consumer;
  private final long[] timers = {-1, -1, -1};

  public RolloutEvents(Vertx vertx, RolloutStore store, GatewayMetrics metrics,
      Function<Collection<String>, Future<Set<String>>> activeTokens, Limits limits) {
    this.vertx = vertx;
    this.store = store;
    this.metrics = metrics;
    this.activeTokens = activeTokens;
    this.limits = limits;
  }

  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.PROGRESS, msg -> {
      for (UUID id : msg.body().rollouts()) {
        if (subscribers.containsKey(id)) {
          dirty.add(id);
        }
      }
    });
    timers[0] = vertx.setPeriodic(INTERVAL_MS, t -> flush());
    timers[1] = vertx.setPeriodic(KEEPALIVE_MS, t -> each(s -> s.keepalive(System.nanoTime())));
    timers[2] = vertx.setPeriodic(Math.max(100, limits.tokenCheck().toMillis()), t -> sweep());
    return consumer.completion();
  }

  public Future<Void> stop() {
    for (long t : timers) {
      vertx.cancelTimer(t);
    }
    each(s -> s.finish(""));
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  public void stream(RoutingContext ctx, UUID id) {
    Principal who = Http.principal(ctx);
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
      res.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
      JsonObject snapshot = ar.result();
      res.write(event("progress", snapshot));
      if (isFinal(snapshot)) {
        res.end(event("final", snapshot));
        return;
      }
      EventStream s = new EventStream(sink(res), who == null ? null : who.tokenId(), limits.slowConsumer().toNanos());
      subscribers.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(s);
      res.drainHandler(v -> s.drained());
      res.closeHandler(v -> {
        s.gone();
        unsubscribe(id, s);
      });
      // the state may have changed between the snapshot and the subscription
      dirty.add(id);
    });
  }

  private static EventStream.Sink sink(HttpServerResponse res) {
    return new EventStream.Sink() {
      public boolean writeQueueFull() {
        return res.writeQueueFull();
      }

      public void write(String chunk) {
        if (!res.closed() && !res.ended()) {
          res.write(chunk);
        }
      }

      public void end(String last) {
        if (!res.closed() && !res.ended()) {
          res.end(last);
        }
      }

      public void close() {
        res.reset();
      }
    };
  }

  private void each(java.util.function.Consumer<EventStream> action) {
    subscribers.values().forEach(set -> set.forEach(action));
  }

  private void unsubscribe(UUID id, EventStream s) {
    Set<EventStream> set = subscribers.get(id);
    if (set != null) {
      set.remove(s);
      if (set.isEmpty()) {
        subscribers.remove(id, set);
      }
    }
  }

  /** Closes slow consumers, and the streams of tokens revoked since they were opened. */
  private void sweep() {
    long now = System.nanoTime();
    Set<String> tokens = new HashSet<>();
    subscribers.forEach((id, set) -> set.forEach(s -> {
      if (s.check(now)) {
        metrics.streamClosed("slow_consumer");
        unsubscribe(id, s);
      } else if (s.tokenId() != null) {
        tokens.add(s.tokenId());
      }
    }));
    if (tokens.isEmpty()) {
      return;
    }
    activeTokens.apply(tokens).onSuccess(active -> subscribers.forEach((id, set) -> set.forEach(s -> {
      if (s.tokenId() != null && !active.contains(s.tokenId())) {
        s.finish("event: closed\ndata: {\"reason\":\"the API token of this stream was revoked\"}\n\n");
        metrics.streamClosed("revoked");
        unsubscribe(id, s);
      }
    })));
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
      Set<EventStream> set = subscribers.get(id);
      if (set == null || j == null) {
        return;
      }
      boolean fin = isFinal(j);
      long now = System.nanoTime();
      for (EventStream s : set) {
        if (fin) {
          s.finish(event("progress", j) + event("final", j));
          continue;
        }
        switch (s.offer(event("progress", j), now)) {
          case COALESCED -> metrics.streamEventCoalesced();
          case CLOSED -> {
            metrics.streamClosed("slow_consumer");
            unsubscribe(id, s);
          }
          default -> { }
        }
      }
      if (fin) {
        subscribers.remove(id);
      }
    }));
  }

  static boolean isFinal(JsonObject rollout) {
    String state = rollout.getString("state");
    if (RolloutState.in(RolloutState.FINAL, state)) {
      return true;
    }
    return RolloutState.HALTED.is(state) && rollout.getString("finishedAt") != null;
  }

  static String event(String name, JsonObject data) {
    return "event: " + name + "\ndata: " + data.encode() + "\n\n";
  }
}
