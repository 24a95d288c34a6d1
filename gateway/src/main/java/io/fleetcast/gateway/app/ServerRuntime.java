package io.fleetcast.gateway.app;

import io.fleetcast.common.cluster.ClusterBoot;
import io.fleetcast.common.cluster.ClusterNames;
import io.fleetcast.common.cluster.ClusterSettings;
import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.common.db.DatabaseSettings;
import io.fleetcast.common.db.EmbeddedDatabase;
import io.fleetcast.common.db.Migrations;
import io.fleetcast.common.db.PgUrl;
import io.fleetcast.common.db.Pools;
import io.fleetcast.common.health.DatabaseProbe;
import io.fleetcast.common.health.Readiness;
import io.fleetcast.common.location.AgentLocationRegistry;
import io.fleetcast.common.location.HazelcastAgentLocations;
import io.fleetcast.common.log.Kv;
import io.fleetcast.common.metrics.MetricsRegistry;
import io.fleetcast.common.runtime.ServerContext;
import io.fleetcast.common.security.ClusterSecrets;
import io.fleetcast.node.ClusterNode;
import io.fleetcast.node.NodeSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * One server process: any combination of gateway and node on a clustered Vert.x, with the
 * database (embedded when no URL is configured and the role allows it). Blocking start-up
 * steps run here, on the main thread, before any event loop work depends on them.
 */
public final class ServerRuntime implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ServerRuntime.class.getName());

  private final FleetcastConfig config;
  private EmbeddedDatabase embedded;
  private ClusterBoot.Clustered cluster;
  private Pool pool;
  private ClusterNode node;
  private Gateway gateway;
  private io.fleetcast.node.depot.Depot depot;
  private PgUrl pgUrl;
  private DatabaseProbe databaseProbe;

  public ServerRuntime(FleetcastConfig config) {
    this.config = config;
  }

  /** Starts the parts the role runs; blocks until they are up. */
  public ServerRuntime start(ProcessRole role) {
    checkTls(role.runsGateway(), role.runsNode());
    if (role.runsGateway()) {
      io.fleetcast.gateway.auth.AdminToken.checkConfigured(config.string("adminToken"));
    }
    DatabaseSettings db = DatabaseSettings.from(config);
    ClusterSettings clusterSettings = ClusterSettings.from(config);
    pgUrl = database(db, role.mayEmbedDatabase());
    Migrations.migrate(pgUrl);
    PrometheusMeterRegistry registry = MetricsRegistry.create(role.wireName());
    Readiness readiness = new Readiness();
    readiness.add("schema", () -> true);
    // the Hazelcast cluster name is bound to this installation's secret: no joining another Fleetcast
    String clusterName = ClusterNames.forInstallation(clusterSettings.name(),
        ClusterSecrets.loadOrCreate(pgUrl, ClusterSecrets.AGENT_HMAC_KEY));
    cluster = ClusterBoot.start(clusterSettings, clusterName, registry).await();
    readiness.add("cluster", () -> cluster.hazelcast().getLifecycleService().isRunning());
    pool = Pools.create(cluster.vertx(), pgUrl, db);
    databaseProbe = new DatabaseProbe(cluster.vertx(), pool, db.healthTimeoutMillis());
    databaseProbe.start().await();
    readiness.add("database", databaseProbe::up);
    AgentLocationRegistry locations = new HazelcastAgentLocations(cluster.vertx(), cluster.hazelcast());
    ServerContext context = new ServerContext(cluster.vertx(), cluster.hazelcast(), pool, locations, registry, readiness);
    if (role.runsNode()) {
      node = new ClusterNode(NodeSettings.from(config), context, agentTls()).start().await();
    }
    if (role.runsDepot() && config.bool("depot.enabled")) {
      String name = node != null ? node.nodeId() : "depot-" + cluster.hazelcast().getCluster().getLocalMember().getUuid();
      depot = io.fleetcast.node.depot.Depot.launch(context,
          io.fleetcast.node.depot.DepotSettings.from(config, name, node == null ? null : node.nodeId()),
          clusterSettings.host()).await();
    }
    if (role.runsGateway()) {
      gateway = new Gateway(GatewaySettings.from(config), context).start().await();
    }
    return this;
  }

  /**
   * Outside dev mode the API and the agent port must have TLS; in any mode a certificate needs
   * its key and the files must be readable. Fails at start with a message naming the settings.
   */
  private void checkTls(boolean withGateway, boolean withNode) {
    List<String> problems = new ArrayList<>();
    pair("api", withGateway, problems);
    pair("agent", withNode, problems);
    for (String file : List.of("tls.caCert", "cluster.tlsCert", "cluster.tlsKey", "cluster.tlsCa")) {
      if (config.isSet(file) && !java.nio.file.Files.isReadable(Path.of(config.string(file)))) {
        problems.add(file + ": cannot read " + Path.of(config.string(file)).toAbsolutePath());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("; ", problems));
    }
    if (config.bool("dev")) {
      return;
    }
    List<String> missing = new ArrayList<>();
    if (withGateway && !config.isSet("api.tlsCert")) {
      missing.add("api.tlsCert and api.tlsKey (FLEETCAST_API_TLS_CERT, FLEETCAST_API_TLS_KEY)");
    }
    if (withNode && !config.isSet("agent.tlsCert")) {
      missing.add("agent.tlsCert and agent.tlsKey (FLEETCAST_AGENT_TLS_CERT, FLEETCAST_AGENT_TLS_KEY)");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("TLS is required outside dev mode: set " + String.join(" and ", missing)
          + " to PEM files (for development, 'java -jar fleetcast.jar gen-certs --dir ./certs' makes them), "
          + "or set FLEETCAST_DEV=true to allow plain http:// and ws:// (development only)");
    }
    if (!config.isSet("cluster.tlsCert") && !isLoopback(config.string("cluster.eventBusHost"))) {
      LOG.warning(Kv.event("cluster.event_bus_plaintext", "host", config.string("cluster.eventBusHost"),
          "hint", "set cluster.tlsCert, cluster.tlsKey and cluster.tlsCa for event-bus TLS (docs/security.md)"));
    }
  }

  private void pair(String prefix, boolean used, List<String> problems) {
    boolean cert = config.isSet(prefix + ".tlsCert");
    boolean key = config.isSet(prefix + ".tlsKey");
    if (!used || (!cert && !key)) {
      return;
    }
    if (cert != key) {
      problems.add(prefix + ".tlsCert and " + prefix + ".tlsKey must be set together");
      return;
    }
    for (String s : List.of(prefix + ".tlsCert", prefix + ".tlsKey")) {
      if (!java.nio.file.Files.isReadable(Path.of(config.string(s)))) {
        problems.add(s + ": cannot read " + Path.of(config.string(s)).toAbsolutePath());
      }
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private SslContext agentTls() {
    if (!config.isSet("agent.tlsCert")) {
      return null;
    }
    try {
      return SslContextBuilder.forServer(new File(config.string("agent.tlsCert")), new File(config.string("agent.tlsKey")))
          .build();
    } catch (Exception e) {
      throw new IllegalStateException("cannot load agent TLS certificate/key: " + e.getMessage(), e);
    }
  }

  private PgUrl database(DatabaseSettings db, boolean allowEmbedded) {
    if (db.url() != null) {
      LOG.info(Kv.event("database.external", "url", db.url().redacted()));
      return db.url();
    }
    if (!allowEmbedded) {
      throw new IllegalStateException("set FLEETCAST_PG_URL (pg.url): this role needs an external Postgres");
    }
    embedded = EmbeddedDatabase.start(db.dataDir(), db.embeddedPort());
    return embedded.url();
  }

  public Gateway gateway() {
    return gateway;
  }

  /** This process's content depot, or null (disabled, or a gateway-only process). */
  public io.fleetcast.node.depot.Depot depot() {
    return depot;
  }

  public ClusterNode node() {
    return node;
  }

  /** The clustered Vert.x this process runs on (null before start). */
  public io.vertx.core.Vertx vertx() {
    return cluster == null ? null : cluster.vertx();
  }

  public PgUrl pgUrl() {
    return pgUrl;
  }

  /** This process's Hazelcast member (cluster membership, for tools and tests). */
  public com.hazelcast.core.HazelcastInstance hazelcast() {
    return cluster.hazelcast();
  }

  @Override
  public void close() {
    List<Future<?>> steps = new ArrayList<>();
    if (gateway != null) {
      steps.add(gateway.stop());
    }
    if (node != null) {
      steps.add(node.stop());
    }
    if (depot != null) {
      steps.add(depot.stop());
    }
    if (databaseProbe != null) {
      databaseProbe.stop();
    }
    try {
      Future.join(steps).await();
      if (pool != null) {
        pool.close().await();
      }
      if (cluster != null) {
        cluster.vertx().close().await();
      }
    } catch (Exception e) {
      LOG.warning(Kv.event("shutdown.incomplete", "error", e.getMessage()));
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
