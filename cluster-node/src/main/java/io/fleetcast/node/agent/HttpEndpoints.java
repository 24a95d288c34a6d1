package io.fleetcast.node.agent;

import io.vertx.core.json.JsonObject;

/** The plain HTTP routes served on the agent port besides the WebSocket upgrade. */
public interface HttpEndpoints {

  boolean ready();

  JsonObject readinessReport();

  /** Prometheus text exposition of this process's meters. */
  String scrape();

  /** True while the node takes new agents (not draining, cluster quorum held). */
  boolean acceptingAgents();
}
