package io.fleetcast.node.agent;

import io.fleetcast.common.location.AgentLocationRegistry;
import io.fleetcast.node.metrics.NodeMetrics;
import io.fleetcast.node.store.Batcher;
import io.fleetcast.node.store.PresenceEvent;
import io.fleetcast.node.store.ResultRow;
import io.fleetcast.node.store.StoreOutcome;
import io.fleetcast.node.store.TargetStateStore.StateChange;

/** Everything an {@link AgentSession} talks to, so that sessions can be tested without sockets or a database. */
public record SessionServices(
    String nodeId,
    int heartbeatSeconds,
    SessionTable sessions,
    AgentLocationRegistry locations,
    Batcher<PresenceEvent, Void> presence,
    Batcher<ResultRow, StoreOutcome> results,
    Batcher<StateChange, Void> states,
    ClusterHooks cluster,
    NodeMetrics metrics) {}
