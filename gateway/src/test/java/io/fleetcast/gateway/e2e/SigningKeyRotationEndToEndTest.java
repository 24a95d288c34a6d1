package io.fleetcast.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.gateway.app.ServerRuntime;
import io.fleetcast.gateway.rollout.TaskSigner;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.ServerProcess;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The task-signing key rotation of docs/security.md, step by step, with real agents: publish the
 * next key (signing.nextKeyFile), let agents bootstrap, swap, drop the old key.
 */
@Timeout(240)
class SigningKeyRotationEndToEndTest {

  /** An agent that bootstrapped after the next key was published accepts tasks signed with it; one that did not ignores them. */
  @Test
  void agentsThatBootstrappedAcceptTheNewKey() throws Exception {
    Path dir = Files.createTempDirectory("fc-rotation");
    Path oldKey = dir.resolve("signing-1.pem");
    Path newKey = dir.resolve("signing-2.pem");
    TaskSigner.load(oldKey, true, null);
    TaskSigner.load(newKey, true, null);
    int port = ServerProcess.freePort();
    Vertx vertx = Vertx.vertx();
    try (TestServer server = TestServer.start(Map.of("signing.keyFile", oldKey.toString()))) {
      // GIVEN a gateway signing with the old key, and two agents enrolled through it
      ServerRuntime gateway = gateway(server, port, oldKey, null);
      Api api = new Api("http://127.0.0.1:" + port, server.adminToken());
      String token = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 2)).json().getString("token");
      AgentLite first = agent(vertx, dir.resolve("rotated"), port, token);
      AgentLite stale = agent(vertx, dir.resolve("stale"), port, token);
      java.util.List<String> ignoredByStale = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.List<String> startedByStale = new java.util.concurrent.CopyOnWriteArrayList<>();
      stale.addListener(new io.fleetcast.agent.AgentListener() {
        @Override
        public void onTaskIgnored(String taskId, String reason) {
          ignoredByStale.add(taskId);
        }

        @Override
        public void onTaskStarted(String taskId, String kind) {
          startedByStale.add(taskId);
        }
      });
      first.start().await();
      stale.start().await();
      Waits.until(() -> first.connected() && stale.connected() ? true : null, Duration.ofSeconds(30));
      AgentLite rotated = first;

      // WHEN the next key is published (gateway restarted with signing.nextKeyFile) and one agent bootstraps again
      gateway.close();
      gateway = gateway(server, port, oldKey, newKey);
      rotated.stop().await();
      rotated = agent(vertx, dir.resolve("rotated"), port, null);
      rotated.start().await();
      AgentLite r = rotated;
      Waits.until(() -> r.connected() ? true : null, Duration.ofSeconds(30));

      // AND the keys are swapped: new rollouts are signed with the new key
      gateway.close();
      gateway = gateway(server, port, newKey, oldKey);

      // THEN the agent that bootstrapped runs the new-key task; the one that never did ignores it (a frame
      // whose signature fails is not answered, so a forged frame cannot pre-empt the genuine task) and runs nothing
      assertThat(run(api, rotated.agentId())).isEqualTo("succeeded");
      String staleRollout = create(api, stale.agentId());
      String staleTarget = api.get("/api/v1/rollouts/" + staleRollout + "/targets").json().getJsonArray("items")
          .getJsonObject(0).getString("agentId");
      Waits.until(() -> ignoredByStale.isEmpty() ? null : true, Duration.ofSeconds(60));
      assertThat(staleTarget).isEqualTo(stale.agentId());
      assertThat(startedByStale).isEmpty();
      assertThat(api.get("/api/v1/rollouts/" + staleRollout + "/targets").json().getJsonArray("items").getJsonObject(0)
          .getString("state")).isEqualTo("dispatched");
      api.post("/api/v1/rollouts/" + staleRollout + "/cancel", new JsonObject());

      // AND after the old key is dropped, the rotated agent keeps working across a reconnect
      gateway.close();
      gateway = gateway(server, port, newKey, null);
      rotated.stop().await();
      rotated = agent(vertx, dir.resolve("rotated"), port, null);
      rotated.start().await();
      AgentLite r2 = rotated;
      Waits.until(() -> r2.connected() ? true : null, Duration.ofSeconds(30));
      assertThat(run(api, rotated.agentId())).isEqualTo("succeeded");

      rotated.stop().await();
      stale.stop().await();
      gateway.close();
    } finally {
      vertx.close().await();
    }
  }

  /** A gateway member of the server's cluster on a fixed API port (the agents' gateway URL), with the given keys. */
  static ServerRuntime gateway(TestServer server, int port, Path key, Path next) {
    Map<String, Object> m = new HashMap<>();
    m.put("api.port", port);
    m.put("signing.keyFile", key.toString());
    if (next != null) {
      m.put("signing.nextKeyFile", next.toString());
    }
    return server.startMember(true, false, m);
  }

  static AgentLite agent(Vertx vertx, Path state, int gatewayPort, String enrollmentToken) {
    AgentOptions o = new AgentOptions().stateDir(state).gatewayUrl("http://127.0.0.1:" + gatewayPort).dev(true)
        .factsProvider(StaticFactsProvider.loopback(state.getFileName().toString()))
        .backoffBase(Duration.ofMillis(100)).backoffCap(Duration.ofSeconds(1));
    return new AgentLite(vertx, enrollmentToken == null ? o : o.enrollmentToken(enrollmentToken));
  }

  /** Creates a one-target rollout; returns its id. */
  static String create(Api api, String agentId) {
    Api.Res created = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject()
        .put("agents", new JsonArray().add(agentId))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().getString("id");
  }

  /** Runs a one-target rollout and returns the target's final state. */
  static String run(Api api, String agentId) {
    String id = create(api, agentId);
    Waits.rolloutState(api, id, Set.of("completed", "halted", "expired", "cancelled"), Duration.ofSeconds(60));
    return api.get("/api/v1/rollouts/" + id + "/targets").json().getJsonArray("items").getJsonObject(0).getString("state");
  }
}
