package io.fleetcast.common.metrics;

/**
 * Every Fleetcast meter name, in one place. Names are given as Micrometer sees them; the
 * Prometheus names add {@code _total} to counters and unit suffixes to timers. Tag values are
 * closed sets (see docs/metrics.md); an agent id is never a tag.
 */
public final class MetricNames {
  private MetricNames() {}

  // agent channel (node)
  public static final String AGENTS_CONNECTED = "fleetcast.agents.connected";
  public static final String AGENT_CONNECTS = "fleetcast.agent.connects";
  public static final String AGENT_DISCONNECTS = "fleetcast.agent.disconnects";
  public static final String UPGRADES_REJECTED = "fleetcast.agent.upgrades.rejected";
  public static final String MESSAGES_IN = "fleetcast.agent.messages.in";
  public static final String MESSAGES_OUT = "fleetcast.agent.messages.out";
  public static final String FRAMES_REJECTED = "fleetcast.agent.frames.rejected";
  public static final String DUPLICATE_SESSIONS = "fleetcast.agent.duplicate.sessions";
  public static final String UNAUTHENTICATED_CONNECTIONS = "fleetcast.agent.unauthenticated.connections";
  public static final String TASKS_DELIVERED = "fleetcast.tasks.delivered";
  public static final String DISPATCH_REFUSED = "fleetcast.dispatch.refused";
  // result ingestion (node)
  public static final String RESULTS_STORED = "fleetcast.results.stored";
  public static final String RESULT_BATCH = "fleetcast.result.store.batch";
  public static final String RESULT_BATCH_ROWS = "fleetcast.result.store.batch.rows";
  public static final String RESULT_STORE_ERRORS = "fleetcast.result.store.errors";
  public static final String RESULT_QUEUE_ROWS = "fleetcast.result.queue.rows";
  public static final String RESULT_ACK_LATENCY = "fleetcast.result.ack.latency";
  public static final String BACKPRESSURE_PAUSED = "fleetcast.result.backpressure.paused.connections";
  public static final String STATE_WRITES = "fleetcast.store.writes";
  public static final String TARGET_STATES_REFUSED = "fleetcast.target.states.refused";
  // cluster and routing
  public static final String CLUSTER_MEMBERS = "fleetcast.cluster.members";
  public static final String EVENTBUS_FAILURES = "fleetcast.eventbus.failures";
  public static final String ROUTING_LATENCY = "fleetcast.routing.latency";
  public static final String REDISPATCHES = "fleetcast.redispatches";
  public static final String LOCATIONS_PURGED = "fleetcast.locations.purged";
  public static final String NODE_READY = "fleetcast.node.ready";
  // rollouts (gateway)
  public static final String TASKS_DISPATCHED = "fleetcast.tasks.dispatched";
  public static final String ROLLOUTS = "fleetcast.rollouts";
  public static final String SCHEDULE_FIRINGS = "fleetcast.schedule.firings";
  public static final String ROLLOUT_TRANSITIONS = "fleetcast.rollout.transitions";
  // API (gateway)
  public static final String API_REQUESTS = "fleetcast.api.requests";
  public static final String API_REJECTED = "fleetcast.api.rejected";
  public static final String ENROLLMENTS = "fleetcast.enrollments";
  public static final String API_AUTH_FAILURES = "fleetcast.api.auth.failures";
  public static final String API_STREAMS_CLOSED = "fleetcast.api.streams.closed";
  public static final String API_STREAM_EVENTS_COALESCED = "fleetcast.api.stream.events.coalesced";
  // wake-on-lan
  public static final String WAKE_PACKETS = "fleetcast.wake.packets";
  public static final String WAKE_RELAYS = "fleetcast.wake.relays";
  public static final String WAKE_UNREACHABLE = "fleetcast.wake.unreachable";
  public static final String WAKE_TO_CONNECT = "fleetcast.wake.to.connect";
  public static final String WAKE_QUEUED = "fleetcast.wake.queued";
}
