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
    int base = 20_000 + ThreadLocalRandom.current().nextInt(0, 400) * 50;
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
