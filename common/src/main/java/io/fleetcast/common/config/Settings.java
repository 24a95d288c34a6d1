package io.fleetcast.common.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of every setting. The README configuration table is generated from it
 * (and a test keeps the two in step), so a setting that is not here does not exist.
 */
public final class Settings {

  public static final List<Setting> ALL = List.of(
      // process
      new Setting("dev", false, "Allow plain ws:// and http:// (no TLS). The standalone role defaults to true."),
      new Setting("dataDir", "./fleetcast-data", "Embedded Postgres (files, password 0600, binaries), generated secrets and the admin token file; one process per directory."),
      new Setting("adminToken", null, "Initial admin API token; generated on first start, printed once, stored in dataDir (0600). A configured one needs at least 32 characters and about 96 bits of character entropy, or the gateway refuses to start."),
      new Setting("logLevel", "INFO", "Root log level (SEVERE, WARNING, INFO, FINE)."),
      // ops API (gateway)
      new Setting("api.host", "0.0.0.0", "Interface the gateway HTTP API binds to (the standalone role: 127.0.0.1 unless set)."),
      new Setting("api.port", 8080, "Gateway HTTP port: REST API, enrollment, bootstrap, metrics, health."),
      new Setting("api.publicUrl", null, "Base URL printed and handed to tools; derived from host and port when unset."),
      new Setting("api.maxBodyBytes", 1_048_576, "Largest accepted API request body."),
      new Setting("api.tlsCert", null, "PEM certificate chain for the API (required unless dev)."),
      new Setting("api.tlsKey", null, "PEM private key for the API (required unless dev)."),
      new Setting("api.rateLimitPerSecond", 50, "Requests per second allowed per API token (burst = 2x)."),
      new Setting("api.authFailuresPerMinute", 30, "Refused credentials (API, enrollment, agent) allowed per client address and minute; above it: 429 + Retry-After."),
      new Setting("api.authFailureBurst", 20, "Refused credentials a client address may send in a burst before api.authFailuresPerMinute applies."),
      new Setting("api.maxConnections", 4096, "Open connections allowed on the API port; a new one above it is closed at once."),
      new Setting("api.requestTimeoutSeconds", 10, "Time a client has to send a request's headers after connecting, and its body after the headers (408 and close)."),
      new Setting("api.keepAliveSeconds", 60, "Time a kept-alive API connection may wait for its next request's headers."),
      new Setting("console.sessionIdleMinutes", 30, "A console session unused this long is signed out."),
      // agent channel (cluster node)
      new Setting("agent.host", "0.0.0.0", "Interface the node's agent WebSocket port binds to (the standalone role: 127.0.0.1 unless set)."),
      new Setting("agent.port", 8081, "Node port for agent WebSockets (and the node's metrics and health)."),
      new Setting("agent.publicUrl", null, "Agent URL this node advertises (ws[s]://host:port/agent/v1); derived when unset."),
      new Setting("agent.tlsCert", null, "PEM certificate chain for agent WebSockets (required unless dev)."),
      new Setting("agent.tlsKey", null, "PEM private key for agent WebSockets (required unless dev)."),
      new Setting("agent.maxFrameBytes", 65_536, "Largest accepted agent frame; bigger frames close the socket with 1009."),
      new Setting("agent.heartbeatSeconds", 20, "Interval of WebSocket pings sent to agents."),
      new Setting("agent.missedHeartbeats", 3, "Pings an agent may miss in a row before it is dropped."),
      new Setting("agent.handshakeTimeoutSeconds", 10, "Time a connection has to finish the upgrade and send hello."),
      new Setting("agent.maxUpgradesPerSecond", 5000, "Upgrades accepted per second per node; above it: 503 + Retry-After."),
      new Setting("agent.maxUnauthenticated", 2000, "Connections allowed per node that have not completed the upgrade yet."),
      new Setting("agent.ioThreads", 0, "Netty I/O threads for agent sockets (0 = number of cores)."),
      new Setting("agent.reassertSeconds", 30, "How often a node re-asserts the locations of the agents it holds."),
      new Setting("agent.lastSeenSeconds", 120, "How often a node writes when its connected agents were last heard from (agents' lastSeen is at most this old)."),
      new Setting("tls.caCert", null, "PEM of the CA that issued the nodes' agent certificates; its SHA-256 goes to agents in the enroll and bootstrap answers (caSha256) to pin."),
      // database
      new Setting("pg.url", null, "postgresql://user:pass@host:port/db[?sslmode=verify-full&sslrootcert=ca.pem] of an external Postgres; unset = embedded Postgres."),
      new Setting("pg.poolSize", 8, "Connections in the reactive Postgres pool of each process."),
      new Setting("pg.maxWaitQueue", 4096, "Queries allowed to wait for a pooled connection before failing fast."),
      new Setting("pg.healthTimeoutMillis", 2000, "Readiness probes Postgres every 2 s and reports not ready when a probe takes longer than this or fails."),
      new Setting("pg.embeddedPort", 0, "Port of the embedded Postgres (0 = pick a free one)."),
      // result ingestion (cluster node)
      new Setting("results.batchRows", 1000, "Most results written by one multi-row statement."),
      new Setting("results.batchMillis", 20, "Longest a result waits before its batch is written."),
      new Setting("results.dispatchHoldMillis", 0, "While this node is sending tasks, or the gateway has said more of a fan-out follows, result batches wait up to this long (from their oldest result) so the frames leave first; results are still acknowledged only after their commit (0 = never wait, the default; 1000 was measured in docs/performance.md)."),
      new Setting("results.dispatchQuietMillis", 30, "Time without a task frame sent, and with no further part of a fan-out announced, after which held result batches are written."),
      new Setting("results.maxQueuedRows", 20_000, "Queued results above which nodes stop reading agent sockets (back-pressure)."),
      // cluster
      new Setting("cluster.name", "fleetcast", "Hazelcast cluster name prefix; the name in use adds a digest of the installation's secret, so members of another installation are refused."),
      new Setting("cluster.host", "127.0.0.1", "Interface Hazelcast binds to and advertises."),
      new Setting("cluster.port", 5701, "First Hazelcast port tried (auto-increments up to +100)."),
      new Setting("cluster.members", "127.0.0.1:5701-5720", "Comma-separated TCP-IP member list (host or host:port or host:from-to); empty = join nobody (the standalone role's default: a cluster of one)."),
      new Setting("cluster.eventBusHost", "127.0.0.1", "Interface the clustered event bus binds to."),
      new Setting("cluster.eventBusPort", 0, "Event bus port (0 = random)."),
      new Setting("cluster.backupCount", 1, "Synchronous backups of each Hazelcast map partition, the event-bus registry included (use 2 from 5 members up)."),
      new Setting("cluster.heartbeatSeconds", 2, "Hazelcast member heartbeat interval."),
      new Setting("cluster.maxNoHeartbeatSeconds", 15, "Silence after which a member is declared dead."),
      new Setting("cluster.expectedMembers", 0, "Members the cluster is sized for; below a majority of it nodes stop accepting dispatch (0 = off)."),
      new Setting("cluster.minorityReconnectSeconds", 30, "A node below quorum this long sends its agents reconnect so they move to the majority (0 = never)."),
      new Setting("cluster.minorityReconnectPerSecond", 200, "Pace of those reconnects (agents per second)."),
      new Setting("cluster.tlsCert", null, "PEM certificate chain of this member for event-bus TLS; with tlsKey and tlsCa set, the event bus is TLS with client authentication required."),
      new Setting("cluster.tlsKey", null, "PEM (PKCS#8) private key of cluster.tlsCert."),
      new Setting("cluster.tlsCa", null, "PEM of the CA(s) event-bus peers' certificates must be issued by."),
      new Setting("node.id", null, "Stable id of this cluster node; generated at start when unset."),
      new Setting("node.sendTimeoutMillis", 8000, "Event-bus request timeout for gateway -> node messages."),
      // task signing (gateway)
      new Setting("signing.keyFile", null, "PEM (PKCS#8) Ed25519 private key that signs tasks; default <dataDir>/signing-ed25519.pem, generated if missing."),
      new Setting("signing.nextKeyFile", null, "Key being rolled in: its public half is handed to agents before it signs (see Security, key rotation)."),
      new Setting("signing.releaseSeconds", 120, "Lifetime of a task release (the signed permission to start a task now, one per dispatch message); agents refuse a task whose release is older."),
      // rollouts (gateway)
      new Setting("rollouts.tickMillis", 1000, "Period of the rollout engine's reconciliation pass."),
      new Setting("rollouts.redispatchSeconds", 15, "A dispatched task not acknowledged within this time is sent again."),
      new Setting("rollouts.leaseSeconds", 10, "Lease on a rollout held by the gateway driving it; another takes over after it lapses."),
      new Setting("rollouts.dispatchChunk", 5000, "Most targets carried by one dispatch message to a node."),
      new Setting("rollouts.defaultExpiryHours", 24, "Expiry of a rollout that does not set expiresAt."),
      // wake-on-lan (gateway plans and sends, nodes keep the relay index; see docs/wake.md)
      new Setting("wake.relaysPerTarget", 2, "Online agents in the target's subnet asked to relay its magic packet (K)."),
      new Setting("wake.packetsPerSecond", 200, "Magic packets per second over all subnets (a relayed target counts repeats x relays)."),
      new Setting("wake.packetsPerSecondPerSubnet", 20, "Magic packets per second into any one subnet."),
      new Setting("wake.repeats", 3, "Packets per target and route on the direct path; pacing assumes relays repeat as often."),
      new Setting("wake.repeatIntervalMillis", 1000, "Least time between two direct packets to the same target."),
      new Setting("wake.defaultPort", 9, "UDP port of relayed packets and of direct routes that name no port."),
      new Setting("wake.relayBroadcast", "subnet", "Where relays send: subnet (directed broadcast of the target's IPv4 subnet), agent (the relay's own default) or an IP literal."),
      new Setting("wake.directRoutes", null, "Subnets the gateway reaches directly: JSON/YAML map {cidr: {broadcastAddress: [ports]}}, or a path to a file holding one; unset = none."),
      new Setting("wake.relayTimeoutSeconds", 30, "A relay that has not answered wakeDone by then is counted as timed out."),
      new Setting("wake.wakingTimeoutSeconds", 300, "A rollout target still waking after this goes back to pending and stops holding its wave."),
      new Setting("wake.maxQueuedPackets", 1_000_000, "Paced packets allowed to wait; a wake request that does not fit gets 503."),
      new Setting("wake.indexSyncMillis", 1000, "How often a node publishes its agents' subnets to the relay index."),
      new Setting("wake.indexRelaysPerSubnet", 8, "Connected agents per subnet each node publishes to the relay index as relay candidates; the others stand by for a place."),
      // agent deployment over SSH and agent self-update (gateway; see README "Installing agents")
      new Setting("deploy.agentJar", null, "The agent-lite jar copied to hosts by deployments (fleetcast-agent-lite.jar); unset = deployments cannot start."),
      new Setting("deploy.installDir", "/opt/fleetcast-agent", "Default install directory on Linux hosts."),
      new Setting("deploy.gatewayUrl", null, "Gateway URL installed agents enroll with; default: this gateway's advertised API URL."),
      new Setting("deploy.maxConcurrent", 20, "Installs running at once on this gateway."),
      new Setting("deploy.attempts", 3, "Attempts per host for transient failures (timeout, unreachable, refused), with exponential back-off."),
      new Setting("deploy.retryBaseSeconds", 30, "Back-off before the second attempt; doubles per attempt, at most 10 minutes."),
      new Setting("deploy.connectTimeoutSeconds", 15, "Timeout of the TCP connect and of the SSH greeting and logon."),
      new Setting("deploy.commandTimeoutSeconds", 120, "Timeout of each remote command (checks, service registration, start)."),
      new Setting("deploy.copyTimeoutSeconds", 300, "Timeout of copying the agent by SFTP."),
      new Setting("deploy.agentConnectTimeoutSeconds", 180, "How long an installed agent has to enroll and connect before the host fails with agent_not_connected."),
      new Setting("deploy.ldapTimeoutSeconds", 30, "Connect and response timeout of LDAP discovery."),
      // software distribution (gateway catalog and origin, depots on nodes and the depot role; see README)
      new Setting("packages.dir", null, "Where the gateway keeps uploaded package blobs (by sha256); unset = <dataDir>/packages."),
      new Setting("packages.maxBytes", 4_294_967_296L, "Largest package upload; bigger uploads get 413 and nothing is stored."),
      new Setting("packages.originName", "origin", "Depot name of this gateway's package store (give each gateway its own)."),
      new Setting("packages.peerTokenMinutes", 1440, "Lifetime of the signed peer-cache token in an install task (capped by the rollout's expiry)."),
      new Setting("depot.enabled", true, "Whether a node (or the depot role) serves the package content it holds over HTTP."),
      new Setting("depot.host", null, "Interface the depot HTTP port binds to; unset = agent.host."),
      new Setting("depot.port", 8082, "Depot HTTP port (content with Range, peer index); 0 = pick a free one."),
      new Setting("depot.publicUrl", null, "Base URL agents and other depots use to reach this depot; derived when unset."),
      new Setting("depot.name", null, "Depot name (unique per installation); unset = the node id."),
      new Setting("depot.site", "default", "Site of this depot; agents of the same site (or of its subnets) prefer it."),
      new Setting("depot.subnets", null, "Comma-separated CIDRs this depot serves (agents in them rank it first)."),
      new Setting("depot.dir", null, "Where the depot keeps its blobs; unset = <dataDir>/depot."),
      new Setting("depot.maxConcurrent", 200, "Content transfers a depot serves at once; above it: 503 + Retry-After."),
      new Setting("depot.syncMillis", 1000, "How often a depot looks for packages to fetch or remove."),
      new Setting("depot.peersPerSubnet", 3, "Agents per subnet and package listed as peer-cache sources (K)."),
      new Setting("depot.peerTtlSeconds", 900, "A peer-cache entry not re-announced for this long is dropped.")
  );

  private static final Map<String, Setting> BY_PATH = new LinkedHashMap<>();

  static {
    for (Setting s : ALL) {
      BY_PATH.put(s.path(), s);
    }
  }

  private Settings() {}

  public static Optional<Setting> byPath(String path) {
    return Optional.ofNullable(BY_PATH.get(path));
  }

  /** The markdown table for the README. */
  public static String markdownTable() {
    StringBuilder sb = new StringBuilder("| setting (YAML path) | environment variable | default | meaning |\n|---|---|---|---|\n");
    for (Setting s : ALL) {
      sb.append("| `").append(s.path()).append("` | `").append(s.envName()).append("` | ")
          .append(s.defaultText().isEmpty() ? "(empty)" : "`" + s.defaultText() + "`").append(" | ")
          .append(s.description()).append(" |\n");
    }
    return sb.toString();
  }
}
