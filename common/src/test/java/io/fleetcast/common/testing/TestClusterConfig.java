package io.fleetcast.common.testing;

import io.fleetcast.common.config.FleetcastConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Configuration for tests: loopback only, a unique Hazelcast cluster name and port range so
 * that test clusters never meet each other, dev mode, ephemeral ports.
 */
public final class TestClusterConfig {
  private TestClusterConfig() {}

  /** Settings shared by every member of one test cluster. */
  public static Map<String, Object> cluster() {
    // below the kernel's ephemeral range (32768-60999 here): a member probing its range must never
    // reach a port the OS handed out meanwhile, e.g. a test server's HTTP port, which accepts the
    // connection and never answers the join (MultiProcessFailoverTest once waited 2 minutes on it)
    int base = 20_000 + ThreadLocalRandom.current().nextInt(0, 250) * 50;
    Map<String, Object> m = new HashMap<>();
    m.put("cluster.name", "fc-test-" + UUID.randomUUID().toString().substring(0, 8));
    m.put("cluster.host", "127.0.0.1");
    m.put("cluster.port", base);
    m.put("cluster.members", "127.0.0.1:" + base + "-" + (base + 9));
    m.put("cluster.eventBusHost", "127.0.0.1");
    m.put("dev", true);
    m.put("api.host", "127.0.0.1");
    m.put("api.port", 0);
    m.put("agent.host", "127.0.0.1");
    m.put("agent.port", 0);
    m.put("depot.port", 0);
    return m;
  }

  public static FleetcastConfig config(Map<String, Object> cluster, Map<String, Object> extra) {
    Map<String, Object> m = new HashMap<>(cluster);
    m.putAll(extra);
    return FleetcastConfig.of(m);
  }
}
