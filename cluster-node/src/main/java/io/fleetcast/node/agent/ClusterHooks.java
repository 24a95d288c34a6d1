package io.fleetcast.node.agent;

import io.fleetcast.common.location.Location;
import io.fleetcast.protocol.AgentMessage;

/** What a session asks of the rest of the cluster; an event-bus implementation in production. */
public interface ClusterHooks {

  /** Another node holds an older connection of this agent: ask it to close that one. */
  void supersedeRemote(String agentId, Location older);

  /** A relay agent reported the outcome of a wakeRelay. */
  void wakeDone(String agentId, AgentMessage.WakeDone report);

  /** A chunk of a watched task's output: relay it to the watchers (it is not stored). */
  default void liveOutput(String agentId, AgentMessage.Output chunk) {}

  ClusterHooks NONE = new ClusterHooks() {
    @Override
    public void supersedeRemote(String agentId, Location older) {}

    @Override
    public void wakeDone(String agentId, AgentMessage.WakeDone report) {}
  };
}
