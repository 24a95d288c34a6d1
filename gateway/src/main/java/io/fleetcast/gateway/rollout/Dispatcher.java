package io.fleetcast.gateway.rollout;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.DispatchReply;
import io.fleetcast.common.bus.DispatchRequest;
import io.fleetcast.common.bus.FanOutPart;
import io.fleetcast.common.location.AgentLocationRegistry;
import io.fleetcast.common.location.Location;
import io.fleetcast.gateway.metrics.GatewayMetrics;
import io.fleetcast.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Routes one frame to many agents: looks up where each agent is connected, groups them by
 * node and sends each node one message (chunked for very large lists) to its own address.
 * The event bus is best-effort, so every send has a timeout; what could not be delivered is
 * reported back and Postgres keeps it pending for a later attempt.
 */
public final class Dispatcher {

  /** What became of a dispatch: agents not connected anywhere, and agents whose node did not answer. */
  public record Outcome(List<UUID> notConnected, List<UUID> unconfirmed, int delivered) {}

  private final Vertx vertx;
  private final AgentLocationRegistry locations;
  private final GatewayMetrics metrics;
  private final int chunk;
  private final DeliveryOptions options;
  private final Supplier<Set<String>> liveNodes;

  /** A dispatcher that sends to whatever node a presence row or location names (no membership at hand). */
  public Dispatcher(Vertx vertx, AgentLocationRegistry locations, GatewayMetrics metrics, int chunk, long timeoutMillis) {
    this(vertx, locations, metrics, chunk, timeoutMillis, () -> null);
  }

  /**
   * @param liveNodes node ids of the current members (null: unknown). A node outside it gets no
   *     message: a send to it would only time out while the target holds its place in the window.
   */
  public Dispatcher(Vertx vertx, AgentLocationRegistry locations, GatewayMetrics metrics, int chunk, long timeoutMillis,
      Supplier<Set<String>> liveNodes) {
    this.liveNodes = liveNodes;
    this.vertx = vertx;
    this.locations = locations;
    this.metrics = metrics;
    this.chunk = Math.max(1, chunk);
    this.options = new DeliveryOptions().setSendTimeout(timeoutMillis);
  }

  /**
   * Sends to agents already grouped by the node their presence names (no location lookup on the
   * way out, which is the bulk of a fan-out's routing cost); agents a node does not hold, or
   * without a node, are then routed by the location registry, which knows where they moved.
   */
  public Future<Outcome> sendVia(String type, String frame, Map<String, List<UUID>> byNode) {
    return sendVia(type, frame, byNode, FanOutPart.LAST);
  }

  /**
   * Like {@link #sendVia(String, String, Map)}, as one {@code part} of a bigger fan-out: nodes
   * told more is to come let their result writes wait for it (a hint, bounded on the node).
   */
  public Future<Outcome> sendVia(String type, String frame, Map<String, List<UUID>> byNode, FanOutPart part) {
    Map<String, List<String>> grouped = new HashMap<>();
    List<UUID> unrouted = new ArrayList<>();
    Set<String> live = liveNodes.get();
    byNode.forEach((node, agents) -> {
      if (node == null || (live != null && !live.contains(node))) {
        unrouted.addAll(agents);
      } else {
        List<String> ids = grouped.computeIfAbsent(node, k -> new ArrayList<>());
        agents.forEach(a -> ids.add(a.toString()));
      }
    });
    return sendGrouped(type, frame, grouped, new ArrayList<>(), part).compose(first -> {
      List<UUID> retry = new ArrayList<>(first.notConnected());
      retry.addAll(unrouted);
      if (retry.isEmpty()) {
        return Future.succeededFuture(first);
      }
      return send(type, frame, retry, part).map(second -> {
        List<UUID> unconfirmed = new ArrayList<>(first.unconfirmed());
        unconfirmed.addAll(second.unconfirmed());
        return new Outcome(second.notConnected(), unconfirmed, first.delivered() + second.delivered());
      });
    });
  }

  public Future<Outcome> send(String type, String frame, Collection<UUID> agents) {
    return send(type, frame, agents, FanOutPart.LAST);
  }

  private Future<Outcome> send(String type, String frame, Collection<UUID> agents, FanOutPart part) {
    if (agents.isEmpty()) {
      return Future.succeededFuture(new Outcome(List.of(), List.of(), 0));
    }
    List<String> ids = new ArrayList<>(agents.size());
    agents.forEach(a -> ids.add(a.toString()));
    return locations.getAll(ids).compose(where -> {
      Map<String, List<String>> byNode = new HashMap<>();
      List<UUID> notConnected = new ArrayList<>();
      Set<String> live = liveNodes.get();
      for (String id : ids) {
        Location l = where.get(id);
        if (l == null || (live != null && !live.contains(l.nodeId()))) {
          notConnected.add(UUID.fromString(id));
        } else {
          byNode.computeIfAbsent(l.nodeId(), k -> new ArrayList<>()).add(id);
        }
      }
      return sendGrouped(type, frame, byNode, notConnected, part);
    });
  }

  /** One message per node (chunked), then what the nodes said they do not hold joins {@code notConnected}. */
  private Future<Outcome> sendGrouped(String type, String frame, Map<String, List<String>> byNode,
      List<UUID> notConnected, FanOutPart part) {
    List<Future<DispatchReply>> sends = new ArrayList<>();
    List<List<String>> chunks = new ArrayList<>();
    byNode.forEach((node, list) -> {
      for (int i = 0; i < list.size(); i += chunk) {
        int end = Math.min(list.size(), i + chunk);
        List<String> agents = list.subList(i, end);
        chunks.add(agents);
        // a node's list split in chunks: only its last chunk is the message's own part
        sends.add(sendChunk(node, new DispatchRequest(type, frame, agents, end < list.size() ? FanOutPart.MORE_TO_COME
            : part)));
      }
    });
    return Future.join(sends).transform(ar -> {
      List<UUID> unconfirmed = new ArrayList<>();
      int delivered = 0;
      for (int i = 0; i < sends.size(); i++) {
        Future<DispatchReply> f = sends.get(i);
        if (f.succeeded()) {
          delivered += f.result().delivered();
          for (String id : f.result().missing()) {
            notConnected.add(UUID.fromString(id));
          }
        } else {
          chunks.get(i).forEach(id -> unconfirmed.add(UUID.fromString(id)));
        }
      }
      if (MessageType.TASK.equals(type)) {
        metrics.dispatched(delivered);
      }
      return Future.succeededFuture(new Outcome(notConnected, unconfirmed, delivered));
    });
  }

  private Future<DispatchReply> sendChunk(String node, DispatchRequest request) {
    long t0 = System.nanoTime();
    return vertx.eventBus().<DispatchReply>request(Addresses.dispatch(node), request, options)
        .map(reply -> {
          metrics.routing().record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
          return reply.body();
        })
        .onFailure(err -> metrics.eventBusFailure("dispatch"));
  }
}
