package io.fleetcast.node.agent;

import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.common.config.PublicUrls;
import io.netty.handler.ssl.SslContext;

/**
 * The {@code agent.*} settings: the node's agent WebSocket port, its limits and the intervals of
 * heartbeats and presence.
 *
 * @param publicUrl the configured agent URL to advertise, or null (derived from the bound port)
 * @param clusterHost the interface advertised in place of a wildcard bind ({@code cluster.host})
 * @param tlsCert null in dev mode without certificates (then tlsKey is null too)
 */
public record AgentServerSettings(
    String host,
    int port,
    String publicUrl,
    String clusterHost,
    String tlsCert,
    String tlsKey,
    int maxFrameBytes,
    int heartbeatSeconds,
    int missedHeartbeats,
    int handshakeTimeoutSeconds,
    int maxUpgradesPerSecond,
    int maxUnauthenticated,
    int ioThreads,
    int reassertSeconds,
    int lastSeenSeconds) {

  public static AgentServerSettings from(FleetcastConfig c) {
    return new AgentServerSettings(c.string("agent.host"), c.integer("agent.port"),
        c.isSet("agent.publicUrl") ? c.string("agent.publicUrl") : null, c.string("cluster.host"),
        c.isSet("agent.tlsCert") ? c.string("agent.tlsCert") : null, c.isSet("agent.tlsKey") ? c.string("agent.tlsKey") : null,
        c.integer("agent.maxFrameBytes"), c.integer("agent.heartbeatSeconds"), c.integer("agent.missedHeartbeats"),
        c.integer("agent.handshakeTimeoutSeconds"), c.integer("agent.maxUpgradesPerSecond"),
        c.integer("agent.maxUnauthenticated"), c.integer("agent.ioThreads"), c.integer("agent.reassertSeconds"),
        c.integer("agent.lastSeenSeconds"));
  }

  /** The socket options of the agent port, with its TLS context (null: plain ws). */
  public AgentServer.Options serverOptions(SslContext ssl) {
    return new AgentServer.Options(host, port, ioThreads, maxFrameBytes, handshakeTimeoutSeconds, ssl);
  }

  /** The URL agents use to reach the port once bound. */
  public String advertisedUrl(boolean tls, int boundPort) {
    return PublicUrls.of(publicUrl, host, clusterHost, tls ? "wss" : "ws", boundPort, "/agent/v1");
  }
}
