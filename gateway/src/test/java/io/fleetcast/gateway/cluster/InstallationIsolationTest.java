package io.fleetcast.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.common.testing.TestClusterConfig;
import io.fleetcast.common.testing.TestDatabase;
import io.fleetcast.gateway.app.ProcessRole;
import io.fleetcast.gateway.app.ServerRuntime;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two Fleetcast installations on one host with the same cluster name, port range and member
 * list (what two `./run.sh` used to share) stay two clusters; members of one installation join.
 */
@Timeout(180)
class InstallationIsolationTest {

  /** A member of another installation (another database, so another secret) is refused; a member of the same one joins. */
  @Test
  void installationsStaySeparateAndMembersOfOneJoin() throws Exception {
    try (TestServer a = TestServer.start(); TestDatabase otherDb = TestDatabase.create()) {
      // GIVEN installation B: its own database, every cluster setting the same as A's
      Map<String, Object> b = new HashMap<>();
      b.put("pg.url", otherDb.url().toString());
      b.put("dataDir", Files.createTempDirectory("fc-other-installation").toString());
      b.put("adminToken", "fct_other_" + UUID.randomUUID().toString().replace("-", ""));
      b.put("pg.poolSize", 2);
      ServerRuntime other = new ServerRuntime(TestClusterConfig.config(a.clusterSettings(), b))
          .start(ProcessRole.STANDALONE);
      ServerRuntime sibling = null;
      try {
        // WHEN a second member of installation A starts after it
        sibling = a.startMember(false, true, Map.of("node.id", "a-2"));

        // THEN A is two members, B stays alone (a join would have happened during its start)
        Waits.until(() -> size(a.runtime()) == 2 ? true : null, Duration.ofSeconds(30));
        assertThat(size(sibling)).isEqualTo(2);
        assertThat(size(other)).as("the other installation's member").isEqualTo(1);
        assertThat(hazelcastName(other)).isNotEqualTo(hazelcastName(a.runtime()))
            .startsWith((String) a.clusterSettings().get("cluster.name"));
        assertThat(hazelcastName(sibling)).isEqualTo(hazelcastName(a.runtime()));
      } finally {
        if (sibling != null) {
          sibling.close();
        }
        other.close();
      }
    }
  }

  static int size(ServerRuntime rt) {
    return rt.hazelcast().getCluster().getMembers().size();
  }

  static String hazelcastName(ServerRuntime rt) {
    return rt.hazelcast().getConfig().getClusterName();
  }
}
