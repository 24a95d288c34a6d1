package io.fleetcast.node.cluster;

import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.ControlOp;
import io.fleetcast.common.bus.OutputChunk;
import io.fleetcast.common.bus.WakeDoneMessage;
import io.fleetcast.common.location.Location;
import io.fleetcast.node.agent.ClusterHooks;
import io.fleetcast.node.metrics.NodeMetrics;
import io.fleetcast.protocol.AgentMessage;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/** {@link ClusterHooks} over the clustered event bus; sends time out rather than hang. */
public final class EventBusClusterHooks implements ClusterHooks {
  private final Vertx vertx;
  private final NodeMetrics metrics;
  private final DeliveryOptions options;

  public EventBusClusterHooks(Vertx vertx, NodeMetrics metrics, long timeoutMillis) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMillis);
  }

  @Override
  public void supersedeRemote(String agentId, Location older) {
    ControlOp body = new ControlOp.Supersede(agentId, older.sessionId());
    vertx.eventBus().request(Addresses.control(older.nodeId()), body, options)
        .onFailure(err -> metrics.eventBusFailure("supersede"));
  }

  @Override
  public void liveOutput(String agentId, AgentMessage.Output chunk) {
    vertx.eventBus().publish(Addresses.output(agentId), new OutputChunk(chunk.taskId(), chunk.seq(), chunk.data()));
  }

  @Override
  public void wakeDone(String agentId, AgentMessage.WakeDone report) {
    vertx.eventBus().publish(Addresses.WAKE_DONE, new WakeDoneMessage(agentId, report));
  }
}
