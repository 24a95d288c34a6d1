package io.fleetcast.gateway.app;

import java.util.Locale;
import java.util.Map;

/** What a server process is started as, and which parts each role runs. */
public enum ProcessRole {
  /** Gateway, node and, unless {@code pg.url} is set, an embedded Postgres, in one JVM. */
  STANDALONE,
  /** The ops API and the rollout engine; needs an external Postgres. */
  GATEWAY,
  /** A cluster node holding agent WebSockets (and its depot); needs an external Postgres. */
  NODE,
  /** A content depot for a branch office: serves packages, no agent sockets; needs an external Postgres. */
  DEPOT;

  /** The role's name on the command line, in logs and in the metrics' {@code role} tag. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean runsGateway() {
    return this == STANDALONE || this == GATEWAY;
  }

  public boolean runsNode() {
    return this == STANDALONE || this == NODE;
  }

  /** Whether the role runs a content depot when {@code depot.enabled} (every node does, and the depot role). */
  public boolean runsDepot() {
    return runsNode() || this == DEPOT;
  }

  /** Whether the role starts an embedded Postgres when no {@code pg.url} is set (the others refuse to start). */
  public boolean mayEmbedDatabase() {
    return this == STANDALONE;
  }

  /**
   * Defaults of the role, where neither the file nor the environment chose a value. Standalone is
   * one machine, out of the box: dev mode, reachable only from this machine, and a cluster of one
   * (no member list: two standalone servers on one host never meet). Any of these can be set in the
   * file or the environment, e.g. api.host/agent.host 0.0.0.0 to let other machines in.
   */
  public Map<String, Object> defaults() {
    if (this == STANDALONE) {
      return Map.of("dev", true, "api.host", "127.0.0.1", "agent.host", "127.0.0.1", "cluster.members", "");
    }
    return Map.of();
  }
}
