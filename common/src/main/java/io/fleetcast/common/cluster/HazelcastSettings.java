package io.fleetcast.common.cluster;

import com.hazelcast.config.CacheDeserializedValues;
import com.hazelcast.config.Config;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MetadataPolicy;
import com.hazelcast.config.NetworkConfig;
import io.fleetcast.common.config.FleetcastConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * Hazelcast configuration. The defaults of Hazelcast itself (multicast discovery, binding
 * to every interface, phoning home) are all switched off: members join by an explicit
 * TCP-IP list and bind only to the configured interface (loopback by default). An empty
 * member list means no join at all: a cluster of one. The cluster name is given by the caller,
 * bound to the installation (see {@link ClusterNames}), so that members of another Fleetcast
 * installation that happen to share the host and port range are refused.
 */
public final class HazelcastSettings {
  /** agent -> location in {@link io.fleetcast.common.location.LocationCodec}'s binary form (v1 held text). */
  public static final String LOCATIONS_MAP = "fleetcast.locations.v2";
  public static final String NODES_MAP = "fleetcast.nodes";
  /** The wake relay index; v2 keeps the agent id only in the key and short JSON field names. */
  public static final String SUBNETS_MAP = "fleetcast.subnets.v2";
  public static final String MEMBER_NODES_MAP = "fleetcast.memberNodes";
  /**
   * Member attribute carrying the Fleetcast node id. A member's UUID changes when it rejoins
   * after a split-brain merge; its attributes come from its configuration and stay, so this is
   * how any member maps a member to a node, before and after a merge.
   */
  public static final String NODE_ID_ATTRIBUTE = "fleetcast.nodeId";

  private HazelcastSettings() {}

  public static Config build(FleetcastConfig cfg, String clusterName) {
    return build(ClusterSettings.from(cfg), clusterName);
  }

  public static Config build(ClusterSettings cfg, String clusterName) {
    System.setProperty("hazelcast.phone.home.enabled", "false");
    System.setProperty("hazelcast.logging.type", "jdk");
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    // decided before the join, so it survives the new member UUID of a merge
    config.getMemberAttributeConfig().setAttribute(NODE_ID_ATTRIBUTE,
        cfg.nodeId() != null ? cfg.nodeId() : java.util.UUID.randomUUID().toString());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(cfg.heartbeatSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(cfg.maxNoHeartbeatSeconds()));
    // split-brain healing: check for a lost half every 30 s (first after 30 s)
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "30");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "30");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");

    String host = cfg.host();
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cfg.port()).setPortAutoIncrement(true).setPortCount(100);
    network.setPublicAddress(null);
    network.getInterfaces().setEnabled(true).clear().addInterface(host);
    network.getRestApiConfig().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    java.util.List<String> members = expandMembers(cfg.members());
    // no member list: join nobody (Hazelcast then starts as a cluster of one)
    join.getTcpIpConfig().setEnabled(!members.isEmpty()).setMembers(members).setConnectionTimeoutSeconds(5);

    int backups = cfg.backupCount();
    config.addMapConfig(new MapConfig(LOCATIONS_MAP).setBackupCount(backups).setAsyncBackupCount(0)
        .setStatisticsEnabled(false).setCacheDeserializedValues(CacheDeserializedValues.NEVER));
    config.addMapConfig(new MapConfig(NODES_MAP).setBackupCount(backups));
    // the Wake-on-LAN relay index (common.wake.HazelcastRelayIndex): looked up by subnet, purged by node
    // no JSON metadata (a parsed schema tree per entry: ~0.5 KiB of heap per agent on its owner)
    // and no cached deserialized values: the two hash indexes answer lookups, which parse the
    // few matching values on the fly
    config.addMapConfig(new MapConfig(SUBNETS_MAP).setBackupCount(backups)
        .setMetadataPolicy(MetadataPolicy.OFF)
        .setCacheDeserializedValues(CacheDeserializedValues.NEVER)
        .addIndexConfig(new IndexConfig(IndexType.HASH, "subnet"))
        .addIndexConfig(new IndexConfig(IndexType.HASH, "nodeId")));
    config.addMapConfig(new MapConfig(MEMBER_NODES_MAP).setBackupCount(backups));
    // Vert.x's own event-bus registry (handlers per address, event-bus address per member) gets the
    // same backups: with its default of 1, the side of a partition that lost both copies of a
    // partition cannot route event-bus messages to members it still sees
    config.getMultiMapConfig("__vertx.subs").setBackupCount(backups);
    config.getMapConfig("__vertx.nodeInfo").setBackupCount(backups);
    return config;
  }

  /** {@code host:5701-5703} becomes three members: Hazelcast itself takes ranges only in the last IPv4 octet. */
  static java.util.List<String> expandMembers(java.util.List<String> members) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String m : members) {
      int colon = m.lastIndexOf(':');
      String port = colon < 0 ? "" : m.substring(colon + 1);
      int dash = port.indexOf('-');
      if (colon < 0 || dash < 0) {
        out.add(m);
        continue;
      }
      int from = Integer.parseInt(port.substring(0, dash).trim());
      int to = Integer.parseInt(port.substring(dash + 1).trim());
      if (to < from || to - from > 1000) {
        throw new IllegalArgumentException("cluster.members: bad port range in '" + m + "'");
      }
      for (int p = from; p <= to; p++) {
        out.add(m.substring(0, colon) + ":" + p);
      }
    }
    return out;
  }
}
