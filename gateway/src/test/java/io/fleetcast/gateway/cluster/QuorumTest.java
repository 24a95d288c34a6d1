package io.fleetcast.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.gateway.app.ServerRuntime;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A member that loses the majority of the cluster it was sized for stops taking agents and reports not ready. */
@Timeout(120)
class QuorumTest {

  @Test
  void memberWithoutMajorityIsNotReady() {
    Map<String, Object> sized = Map.of("cluster.expectedMembers", 3);
    try (TestServer server = TestServer.start(sized)) {
      ServerRuntime b = server.startMember(false, true, Map.of("cluster.expectedMembers", 3, "node.id", "qb"));
      ServerRuntime c = server.startMember(false, true, Map.of("cluster.expectedMembers", 3, "node.id", "qc"));
      Api health = new Api("http://127.0.0.1:" + server.agentPort(), null);
      // GIVEN all three members: ready
      Waits.until(() -> health.get("/health/ready").status() == 200 ? true : null, Duration.ofSeconds(20));
      Vertx vertx = Vertx.vertx();
      try {
        Api api = new Api(server.apiUrl(), server.adminToken());
        JsonObject enrolled = api.enroll(1).get(0);
        // WHEN two of three leave
        c.close();
        b.close();
        // THEN the survivor is below the majority: not ready, and it refuses agents
        Waits.until(() -> health.get("/health/ready").status() == 503 ? true : null, Duration.ofSeconds(30));
        JsonObject report = health.get("/health/ready").json();
        assertThat(report.getJsonObject("checks").getString("node.quorum")).isEqualTo("down");
        FakeAgent a = FakeAgent.fromEnrollment(vertx, enrolled);
        try {
          a.connect(server.agentUrl()).await();
          throw new AssertionError("upgrade should have been refused");
        } catch (UpgradeRejectedException e) {
          assertThat(e.getStatus()).isEqualTo(503);
        }
      } finally {
        vertx.close().await();
      }
    }
  }
}
