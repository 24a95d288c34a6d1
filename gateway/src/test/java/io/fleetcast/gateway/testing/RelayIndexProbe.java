package io.fleetcast.gateway.testing;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.fleetcast.common.wake.HazelcastRelayIndex;
import io.fleetcast.common.wake.RelayIndex;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the cluster's relay index (what the wake planner picks relays from) in this JVM, so
 * that a test waits until its agents' subnets are published instead of sleeping for the sync
 * period. Agent ids are random UUIDs, so reading every in-process Hazelcast member is safe.
 */
public final class RelayIndexProbe {
  private RelayIndexProbe() {}

  /** Agent ids the index lists for {@code subnet}. */
  public static Set<String> agentsIn(Vertx vertx, String subnet) {
    Set<String> out = new HashSet<>();
    for (HazelcastInstance hz : Hazelcast.getAllHazelcastInstances()) {
      Map<String, List<RelayIndex.Entry>> bySubnet = new HazelcastRelayIndex(vertx, hz).inSubnets(List.of(subnet))
          .await();
      bySubnet.getOrDefault(subnet, List.of()).forEach(e -> out.add(e.agentId()));
    }
    return out;
  }

  /** Waits until the index lists exactly {@code relays} among {@code known} for {@code subnet}. */
  public static void awaitRelays(Vertx vertx, String subnet, Collection<String> relays, Collection<String> known,
      Duration timeout) {
    Waits.until(() -> {
      Set<String> listed = agentsIn(vertx, subnet);
      listed.retainAll(known);
      return listed.equals(new HashSet<>(relays)) ? true : null;
    }, timeout);
  }
}
