package io.fleetcast.gateway.rollout.api;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.ControlOp;
import io.fleetcast.common.bus.OutputChunk;
import io.fleetcast.gateway.http.Problem;
import io.fleetcast.common.rollout.TargetState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Live output of one running task as Server-Sent Events. While a stream is open the gateway asks
 * the agent's node (every {@value #RENEW_SECONDS} s, so a watch lapses on its own when the
 * gateway goes away) to have the agent stream output chunks; the node relays them on the event bus
 * and nothing stores them. The stream ends when the target finishes or after {@value #MAX_MINUTES}
 * minutes; a watcher that reads too slowly loses chunks rather than growing a buffer.
 */
public final class LiveOutputRelay {
  static final int RENEW_SECONDS = 10;
  static final int MAX_MINUTES = 30;

  private record Target(String state, String taskId, String nodeId) {}

  private final Vertx vertx;
  private final Pool pool;

  public LiveOutputRelay(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  void stream(RoutingContext ctx, UUID rollout, UUID agent) {
    target(rollout, agent).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      Target t = ar.result();
      if (t == null) {
        ctx.fail(Problem.notFound("agent " + agent + " is not a target of rollout " + rollout));
        return;
      }
      HttpServerResponse res = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
          .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
      if (!TargetState.in(TargetState.WITH_AGENT, t.state())) {
        res.end(event("end", new JsonObject().put("state", t.state())));
        return;
      }
      res.write(event("watching", new JsonObject().put("taskId", t.taskId()).put("state", t.state())));
      MessageConsumer<OutputChunk> chunks = vertx.eventBus().consumer(Addresses.output(agent.toString()), m -> {
        if (t.taskId().equals(m.body().taskId()) && !res.ended() && !res.writeQueueFull()) {
          res.write(event("output", new JsonObject().put("seq", m.body().seq()).put("data", m.body().data())));
        }
      });
      long started = System.nanoTime();
      watch(t, agent, RENEW_SECONDS * 3);
      long timer = vertx.setPeriodic(RENEW_SECONDS * 1000L, id -> target(rollout, agent).onSuccess(now -> {
        boolean tooLong = System.nanoTime() - started > MAX_MINUTES * 60_000_000_000L;
        if (now == null || !TargetState.in(TargetState.WITH_AGENT, now.state()) || !now.taskId().equals(t.taskId())
            || tooLong) {
          if (!res.ended()) {
            res.end(event("end", new JsonObject().put("state", now == null ? "unknown" : now.state())));
          }
          return;
        }
        watch(now, agent, RENEW_SECONDS * 3);
      }));
      res.closeHandler(v -> stop(chunks, timer, t, agent));
      res.endHandler(v -> stop(chunks, timer, t, agent));
    });
  }

  private void stop(MessageConsumer<OutputChunk> chunks, long timer, Target t, UUID agent) {
    if (vertx.cancelTimer(timer)) {
      chunks.unregister();
      watch(t, agent, 0);
    }
  }

  /** Asks the agent's node to (re)start or stop the agent's streaming; best effort, the watch lapses anyway. */
  private void watch(Target t, UUID agent, int seconds) {
    if (t.nodeId() == null) {
      return;
    }
    vertx.eventBus().request(Addresses.control(t.nodeId()), new ControlOp.WatchOutput(agent.toString(), t.taskId(), seconds),
        new DeliveryOptions().setSendTimeout(5000));
  }

  /** The target's state, the task of its current step and the node holding its agent now (or null). */
  private Future<Target> target(UUID rollout, UUID agent) {
    return pool.preparedQuery("""
            SELECT t.state, k.id, CASE WHEN a.online THEN a.node_id END
            FROM rollout_targets t JOIN tasks k ON k.rollout_id = t.rollout_id AND k.step = t.step
              JOIN agents a ON a.id = t.agent_id
            WHERE t.rollout_id = $1 AND t.agent_id = $2""")
        .execute(Tuple.of(rollout, agent))
        .map(rows -> {
          for (Row r : rows) {
            return new Target(r.getString(0), r.getUUID(1).toString(), r.getString(2));
          }
          return null;
        });
  }

  static String event(String name, JsonObject data) {
    return "event: " + name + "\ndata: " + data.encode() + "\n\n";
  }
}
