package io.fleetcast.node;

import static io.fleetcast.common.metrics.MetricNames.*;

import com.hazelcast.core.HazelcastInstance;
import io.fleetcast.common.bus.Addresses;
import io.fleetcast.common.bus.BusCodecs;
import io.fleetcast.common.bus.OnlineMessage;
import io.fleetcast.common.bus.ProgressMessage;
import io.fleetcast.common.cluster.LiveNodes;
import io.fleetcast.common.cluster.ClusterMaps;
import io.fleetcast.common.cluster.NodeInfo;
import io.fleetcast.common.cluster.Quorum;
import io.fleetcast.common.health.Readiness;
import io.fleetcast.common.location.AgentLocationRegistry;
import io.fleetcast.common.location.Location;
import io.fleetcast.common.log.Kv;
import io.fleetcast.common.runtime.ServerContext;
import io.fleetcast.common.security.AgentSecrets;
import io.fleetcast.common.security.ClusterSecrets;
import io.fleetcast.common.wake.HazelcastRelayIndex;
import io.fleetcast.node.agent.AgentAuthenticator;
import io.fleetcast.node.agent.AgentServer;
import io.fleetcast.node.agent.AgentSession;
import io.fleetcast.node.agent.Heartbeats;
import io.fleetcast.node.agent.HttpEndpoints;
import io.fleetcast.node.agent.RevocationList;
import io.fleetcast.node.agent.SessionServices;
import io.fleetcast.node.agent.SessionTable;
import io.fleetcast.node.agent.UpgradeGuard;
import io.fleetcast.node.cluster.EventBusClusterHooks;
import io.fleetcast.node.cluster.NodeAnnouncer;
import io.fleetcast.node.cluster.PresenceReasserter;
import io.fleetcast.node.dispatch.MinorityReconnect;
import io.fleetcast.node.dispatch.Drainer;
import io.fleetcast.node.dispatch.NodeInbox;
import io.fleetcast.node.metrics.NodeMetrics;
import io.fleetcast.node.metrics.NodeMetrics.DisconnectReason;
import io.fleetcast.node.store.Batcher;
import io.fleetcast.node.store.PresenceEvent;
import io.fleetcast.node.store.PresenceStore;
import io.fleetcast.node.store.ResultRow;
import io.fleetcast.node.store.ResultSettings;
import io.fleetcast.node.store.ResultStore;
import io.fleetcast.node.store.StoreOutcome;
import io.fleetcast.node.store.TargetStateStore;
import io.fleetcast.node.store.TargetStateStore.StateChange;
import io.fleetcast.node.wake.RelayIndexPublisher;
import io.fleetcast.protocol.CloseCodes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * A cluster node inside a running (clustered) Vert.x: the agent WebSocket port, sessions,
 * result/presence/ack batching into Postgres, its event-bus inbox and its entry in the node
 * directory. The node role's main and the standalone server both build one of these.
 */
public final class ClusterNode {
  private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());

  private final NodeSettings settings;
  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Pool pool;
  private final AgentLocationRegistry locations;
  private final PrometheusMeterRegistry registry;
  private final Readiness readiness;
  private final SslContext ssl;
  private final String nodeId;
  private final SessionTable sessions = new SessionTable();
  private final NodeMetrics metrics;
  private final List<Long> timers = new ArrayList<>();
  private io.fleetcast.node.agent.LastSeenReporter lastSeen;
  private Batcher<ResultRow, StoreOutcome> results;
  private Batcher<PresenceEvent, Void> presence;
  private Batcher<StateChange, Void> states;
  private AgentServer server;
  private NodeInbox inbox;
  private final io.fleetcast.node.dispatch.DispatchActivity dispatchActivity = new io.fleetcast.node.dispatch.DispatchActivity();
  private Drainer drainer;
  private NodeAnnouncer announcer;
  private Quorum quorum;
  private RevocationList revocations;
  private RelayIndexPublisher relayIndex;
  private PresenceReasserter reasserter;
  private PresenceStore presenceStore;
  private int port;
  private volatile boolean listening;

  /** {@code ssl}: the agent port's TLS context, or null (plain ws, dev mode). */
  public ClusterNode(NodeSettings settings, ServerContext context, SslContext ssl) {
    this.settings = settings;
    this.vertx = context.vertx();
    this.hazelcast = context.hazelcast();
    this.pool = context.pool();
    this.locations = context.locations();
    this.registry = context.registry();
    this.readiness = context.readiness();
    this.ssl = ssl;
    // the id is a member attribute fixed before the join, so it survives a merge's new member UUID
    this.nodeId = LiveNodes.nodeOf(this.hazelcast.getCluster().getLocalMember());
    this.metrics = new NodeMetrics(this.registry);
  }

  public String nodeId() {
    return nodeId;
  }

  public int port() {
    return port;
  }

  public SessionTable sessions() {
    return sessions;
  }

  /** The URL agents use to reach this node. */
  public String agentUrl() {
    return settings.agent().advertisedUrl(ssl != null, port);
  }

  public Future<ClusterNode> start() {
    BusCodecs.register(vertx);
    quorum = new Quorum(hazelcast, settings.cluster().expectedMembers());
    revocations = new RevocationList(pool);
    drainer = new Drainer(vertx, sessions);
    readiness.add("node.listening", () -> listening);
    readiness.add("node.quorum", quorum::held);
    buildStores();
    reasserter = new PresenceReasserter(vertx, hazelcast, nodeId, sessions, locations, presenceStore);
    reasserter.reassert("start");
    reasserter.start();
    return ClusterSecrets.loadOrCreate(pool, ClusterSecrets.AGENT_HMAC_KEY)
        .compose(key -> revocations.refresh().map(n -> key))
        // before the port opens: rows a previous run of this node left online are stale
        .compose(key -> presenceStore.clearNode().map(n -> {
          if (n > 0) {
            LOG.info(Kv.event("presence.cleared_stale", "node", nodeId, "agents", n));
          }
          return key;
        }))
        .compose(key -> {
          SessionServices services = new SessionServices(nodeId, settings.agent().heartbeatSeconds(), sessions,
              locations, presence, results, states,
              new EventBusClusterHooks(vertx, metrics, settings.cluster().sendTimeoutMillis()), metrics);
          UpgradeGuard guard = new UpgradeGuard(settings.agent().maxUpgradesPerSecond(), settings.agent().maxUnauthenticated());
          registerGauges(guard);
          server = new AgentServer(settings.agent().serverOptions(ssl),
              new AgentAuthenticator(new AgentSecrets(key), revocations), guard, services, endpoints());
          inbox = new NodeInbox(vertx, nodeId, sessions, revocations, metrics, drainer, quorum::held, dispatchActivity);
          return inbox.start().compose(v -> server.start());
        })
        .compose(p -> {
          port = p;
          listening = true;
          return ClusterMaps.open(vertx, hazelcast);
        })
        .compose(maps -> {
          announcer = new NodeAnnouncer(maps.directory(), nodeId,
              () -> hazelcast.getCluster().getLocalMember().getUuid().toString(), agentUrl(), null, sessions::size,
              this::state);
          startTimers(maps.relays());
          LOG.info(Kv.event("node.started", "nodeId", nodeId, "agentUrl", agentUrl()));
          return announcer.announce().map(this);
        });
  }

  private void buildStores() {
    ResultSettings rs = settings.results();
    ResultStore resultStore = new ResultStore(pool, nodeId, this::publishProgress);
    results = new Batcher<ResultRow, StoreOutcome>(vertx, "results", rs.batchRows(), rs.batchMillis(), rs.batchesInFlight(), rs.queueLimit(), rows -> {
          long t0 = System.nanoTime();
          return resultStore.write(rows).onSuccess(x -> {
            metrics.batchTimer().record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
            metrics.batchRows().record(rows.size());
            metrics.storeWrite("results");
          }).onFailure(e -> metrics.storeError());
        }).hold(io.fleetcast.node.dispatch.DispatchFirstHold.of(dispatchActivity, rs.dispatchQuietMillis(),
            rs.dispatchHoldMillis()));
    presenceStore = new PresenceStore(pool, nodeId, this::publishOnline);
    lastSeen = new io.fleetcast.node.agent.LastSeenReporter(sessions, presenceStore);
    presence = new Batcher<PresenceEvent, Void>(vertx, "presence", 2000, 25, 2, Integer.MAX_VALUE, events -> {
      metrics.storeWrite("presence");
      return presenceStore.write(events);
    }).maxAttempts(20);
    TargetStateStore stateStore = new TargetStateStore(pool, this::publishProgress, metrics::targetStatesRefused);
    states = new Batcher<StateChange, Void>(vertx, "states", 2000, 20, 2, Integer.MAX_VALUE, changes -> {
      List<StateChange> needed = io.fleetcast.node.agent.SupersededAcks.drop(changes, sessions);
      if (needed.isEmpty()) {
        return Future.succeededFuture(java.util.Collections.nCopies(changes.size(), (Void) null));
      }
      metrics.storeWrite("target_states");
      return stateStore.write(needed).map(x -> java.util.Collections.nCopies(changes.size(), (Void) null));
    }).maxAttempts(20);
  }

  private void registerGauges(UpgradeGuard guard) {
    Gauge.builder(AGENTS_CONNECTED, sessions, SessionTable::size).description("Agents connected to this node")
        .register(registry);
    Gauge.builder(UNAUTHENTICATED_CONNECTIONS, guard, UpgradeGuard::pending)
        .description("Connections that have not completed the handshake").register(registry);
    Gauge.builder(RESULT_QUEUE_ROWS, () -> results.queued()).description("Results waiting to be written")
        .register(registry);
    Gauge.builder(CLUSTER_MEMBERS, () -> quorum.members()).description("Cluster members seen by this process")
        .register(registry);
    Gauge.builder(NODE_READY, () -> readiness.ready() ? 1 : 0).description("1 when this node reports ready")
        .register(registry);
  }

  private HttpEndpoints endpoints() {
    return new HttpEndpoints() {
      @Override
      public boolean ready() {
        return readiness.ready();
      }

      @Override
      public JsonObject readinessReport() {
        return readiness.report().put("nodeId", nodeId);
      }

      @Override
      public String scrape() {
        return registry.scrape();
      }

      @Override
      public boolean acceptingAgents() {
        return listening && !drainer.draining() && quorum.held();
      }
    };
  }

  private NodeInfo.State state() {
    if (!readiness.ready()) {
      return NodeInfo.State.NOT_READY;
    }
    return drainer.draining() ? NodeInfo.State.DRAINING : NodeInfo.State.READY;
  }

  private void startTimers(HazelcastRelayIndex relays) {
    Heartbeats heartbeats = new Heartbeats(sessions, settings.agent().heartbeatSeconds(), settings.agent().missedHeartbeats());
    timers.add(vertx.setPeriodic(1000, id -> heartbeats.sweep()));
    timers.add(vertx.setPeriodic(1000, id -> announcer.announce()
        .onFailure(e -> metrics.eventBusFailure("announce"))));
    timers.add(vertx.setPeriodic(3000, id -> revocations.refresh().onSuccess(n -> {
      if (n > 0) {
        closeRevoked();
      }
    })));
    timers.add(vertx.setPeriodic(settings.agent().lastSeenSeconds() * 1000L, id -> lastSeen.pass()));
    long reassert = settings.agent().reassertSeconds() * 1000L;
    timers.add(vertx.setPeriodic(reassert, id -> reasserter.reassert("periodic")));
    MinorityReconnect minority = minorityReconnect();
    timers.add(vertx.setPeriodic(1000, id -> minority.check()));
    // Wake-on-LAN: publish which subnets this node's agents are in (relay candidates)
    relayIndex = new RelayIndexPublisher(vertx, relays, nodeId,
        new RelayIndexPublisher.Sessions() {
          @Override
          public void forEach(RelayIndexPublisher.SessionVisitor visitor) {
            for (AgentSession s : sessions.all()) {
              if (s.active()) {
                visitor.visit(s.agentId(), s.sessionId(), s.relayFacts());
              }
            }
          }

          @Override
          public long version() {
            return sessions.version();
          }
        }, settings.wakeIndexRelaysPerSubnet());
    relayIndex.start(settings.wakeIndexSyncMillis(), reassert);
  }

  /** Below quorum for long enough: move the agents to the majority, unless an operator drain already does. */
  private MinorityReconnect minorityReconnect() {
    boolean[] ours = {false};
    int perSecond = settings.cluster().minorityReconnectPerSecond();
    return new MinorityReconnect(quorum::held, System::currentTimeMillis,
        settings.cluster().minorityReconnectSeconds() * 1000L, () -> {
          if (!drainer.draining()) {
            ours[0] = true;
            drainer.start(perSecond, null);
          }
        }, () -> {
          if (ours[0]) {
            ours[0] = false;
            drainer.stop();
          }
        });
  }

  private void closeRevoked() {
    for (AgentSession s : sessions.all()) {
      if (revocations.isRevoked(s.agentId())) {
        s.close(CloseCodes.REVOKED, "credential revoked", DisconnectReason.REVOKED);
      }
    }
  }

  private void publishProgress(Set<UUID> rollouts) {
    vertx.eventBus().publish(Addresses.PROGRESS, ProgressMessage.of(rollouts));
  }

  private void publishOnline(Set<UUID> agents) {
    vertx.eventBus().publish(Addresses.ONLINE, OnlineMessage.of(nodeId, agents));
  }

  /** Closes every socket, writes what is queued and leaves the directory. */
  public Future<Void> stop() {
    listening = false;
    timers.forEach(vertx::cancelTimer);
    if (reasserter != null) {
      reasserter.stop();
    }
    for (AgentSession s : sessions.all()) {
      s.close(CloseCodes.GOING_AWAY, "node shutting down", DisconnectReason.SHUTDOWN);
    }
    List<Future<?>> steps = new ArrayList<>();
    if (inbox != null) {
      steps.add(inbox.stop());
    }
    if (relayIndex != null) {
      steps.add(relayIndex.stop());
    }
    if (announcer != null) {
      steps.add(announcer.withdraw());
    }
    return Future.join(steps)
        .eventually(() -> server == null ? Future.succeededFuture() : server.stop())
        .eventually(() -> results == null ? Future.succeededFuture() : Future.join(results.flushAndClose(),
            presence.flushAndClose(), states.flushAndClose()))
        .mapEmpty();
  }
}
