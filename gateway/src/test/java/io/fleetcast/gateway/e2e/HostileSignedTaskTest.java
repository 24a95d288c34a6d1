package io.fleetcast.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.AgentListener;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.FakeAgent;
import io.fleetcast.gateway.testing.RogueNode;
import io.fleetcast.gateway.testing.SharedTestServer;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A compromised node replays and alters tasks that carry the real gateway's signature, sending
 * them to the real agent (agent-lite, with the keys from its enrollment). Every altered task,
 * every task for another agent and every task past its deadline is answered {@code rejected}
 * and never run; the genuine task runs once, and a replay of its id is not run again.
 */
@Timeout(120)
class HostileSignedTaskTest {
  static TestServer server;
  static Vertx vertx;
  static Api api;
  static RogueNode rogue;
  static FakeAgent witness;
  static AgentLite victim;
  static final List<String> started = new CopyOnWriteArrayList<>();
  static final List<String> duplicates = new CopyOnWriteArrayList<>();
  static final List<String> ignored = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = SharedTestServer.get();
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
    // the witness is an agent on the real node: it receives genuinely signed tasks the rogue node captures
    witness = FakeAgent.fromEnrollment(vertx, api.enroll(1, "witness").get(0));
    witness.connect(server.agentUrl()).await();
    // the victim: the real agent with its real credential and the gateway's keys, connected to the rogue node
    JsonObject enrolled = api.enroll(1, "victim").get(0);
    rogue = new RogueNode(vertx).start();
    Path state = Files.createTempDirectory("fleetcast-victim");
    AgentOptions options = new AgentOptions().stateDir(state).agentId(enrolled.getString("agentId"))
        .agentSecret(enrolled.getString("agentSecret")).nodeUrls(List.of(rogue.url())).dev(true)
        .factsProvider(StaticFactsProvider.loopback("victim")).backoffBase(Duration.ofMillis(100))
        .backoffCap(Duration.ofSeconds(1));
    for (Object o : enrolled.getJsonArray("signingKeys")) {
      JsonObject k = (JsonObject) o;
      options.signingKey(k.getString("keyId"), k.getString("publicKey"));
    }
    victim = new AgentLite(vertx, options);
    victim.addListener(new AgentListener() {
      @Override
      public void onTaskStarted(String taskId, String kind) {
        started.add(taskId);
      }

      @Override
      public void onTaskIgnored(String taskId, String reason) {
        ignored.add(taskId + ": " + reason);
      }

      @Override
      public void onDuplicateTask(String taskId) {
        duplicates.add(taskId);
      }
    });
    victim.start().await(20, TimeUnit.SECONDS);
    Waits.until(() -> victim.connected() ? true : null, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    victim.stop().await();
    rogue.close();
    vertx.close().await();
  }

  /** A genuine task for {@code targets}, as the witness received it from the real node. */
  static NodeMessage.Task capture(JsonArray targets, JsonObject strategy) {
    JsonObject body = Waits.execRollout(new JsonObject().put("agents", targets));
    if (strategy != null) {
      body.put("strategy", strategy);
    }
    Api.Res r = api.post("/api/v1/rollouts", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String rolloutId = r.json().getString("id");
    return Waits.until(() -> witness.tasks().stream().filter(t -> t.rolloutId().equals(rolloutId)).findFirst()
        .orElse(null), Duration.ofSeconds(20));
  }

  static NodeMessage.Task alter(NodeMessage.Task t, UnaryOperator<JsonObject> change) {
    return (NodeMessage.Task) NodeMessage.decode(change.apply(t.toJson()).encode());
  }

  /** Sends the task and waits for the agent's next result for its id: "status: output". */
  static String outcome(NodeMessage.Task t) {
    int before = results(t.taskId()).size();
    rogue.send(t);
    List<JsonObject> all = Waits.until(() -> {
      List<JsonObject> now = results(t.taskId());
      return now.size() > before ? now : null;
    }, Duration.ofSeconds(15));
    JsonObject result = all.get(all.size() - 1);
    return result.getString("status") + ": " + result.getString("output");
  }

  static List<JsonObject> results(String taskId) {
    return rogue.frames("result").stream().filter(f -> taskId.equals(f.getString("taskId"))).toList();
  }

  /** Sends the task and waits until the agent ignored it (no result): "reason". */
  static String ignoredReason(NodeMessage.Task t) {
    int before = ignored.size();
    rogue.send(t);
    return Waits.until(() -> ignored.size() > before ? ignored.get(before) : null, Duration.ofSeconds(15))
        .substring(t.taskId().length() + 2);
  }

  /**
   * Altered id, spec, deadline, scope or signature, a missing release or one borrowed from another
   * task: ignored without a trace (never acked, answered or run, issue 11 #11/#12), so that they
   * cannot pre-empt the genuine task, which then runs once.
   */
  @Test
  void alteredTasksAreIgnoredAndNeverRun() {
    NodeMessage.Task genuine = capture(new JsonArray().add(victim.agentId()).add(witness.id()), null);
    NodeMessage.Task other = capture(new JsonArray().add(victim.agentId()).add(witness.id()), null);
    List<String> ranBefore = List.copyOf(victim.executedTaskIds());
    int acksBefore = rogue.frames("ack").size();
    List<NodeMessage.Task> altered = List.of(
        alter(genuine, j -> j.put("taskId", UUID.randomUUID().toString())),
        alter(genuine, j -> j.put("spec", j.getJsonObject("spec").copy().put("args", new JsonArray().add("pwned")))),
        alter(genuine, j -> j.put("spec", j.getJsonObject("spec").copy().put("shell", true))),
        alter(genuine, j -> j.put("kind", "power").put("spec", new JsonObject().put("action", "reboot"))),
        alter(genuine, j -> j.put("deadline", Instant.parse(j.getString("deadline")).plusSeconds(86_400).toString())),
        alter(genuine, j -> j.put("rolloutId", UUID.randomUUID().toString())),
        alter(genuine, j -> j.put("step", 1)),
        alter(genuine, j -> j.put("requireConsent", true)),
        alter(genuine, j -> j.put("scope", new JsonObject().put("all", true))),
        alter(genuine, j -> j.remove("signature") == null ? j : j),
        alter(genuine, j -> j.put("signature", genuine.signature().substring(0, 10) + "AAAA"
            + genuine.signature().substring(14))),
        alter(genuine, j -> j.put("keyId", "0000000000000000")
            .put("spec", j.getJsonObject("spec").copy().put("command", "sh"))));
    for (NodeMessage.Task t : altered) {
      assertThat(ignoredReason(t)).as("altered task %s", t.toJson().encode()).startsWith("bad signature");
    }
    // a genuine task without its release, or with the release of another task
    assertThat(ignoredReason(alter(genuine, j -> j.remove("release") == null ? j : j))).startsWith("no release");
    assertThat(ignoredReason(alter(genuine, j -> j.put("release", other.release().toJson())))).startsWith("bad release");
    assertThat(results(genuine.taskId())).as("no answer to any of them").isEmpty();
    assertThat(rogue.frames("ack")).as("no altered task acked").hasSize(acksBefore);
    assertThat(victim.executedTaskIds()).isEqualTo(ranBefore);

    // WHEN the genuine frame comes after all of them, it runs: nothing was recorded for its id
    assertThat(outcome(genuine)).startsWith("succeeded");
    assertThat(victim.executedTaskIds()).containsOnlyOnce(genuine.taskId());
  }

  /** The genuine task runs once; its id replayed is not run again; a replay after the deadline is rejected. */
  @Test
  void replaysAreNotRunAgain() throws Exception {
    NodeMessage.Task genuine = capture(new JsonArray().add(victim.agentId()).add(witness.id()),
        new JsonObject().put("expiresAt", Instant.now().plusSeconds(60).toString()));
    assertThat(outcome(genuine)).startsWith("succeeded");
    assertThat(victim.executedTaskIds()).containsOnlyOnce(genuine.taskId());
    // replay of the same id: answered from the stored outcome (that answer is the signal that the
    // agent is done with the replay), not run again
    assertThat(outcome(genuine)).startsWith("succeeded");
    Waits.until(() -> duplicates.contains(genuine.taskId()) ? true : null, Duration.ofSeconds(30));
    assertThat(started.stream().filter(genuine.taskId()::equals).count()).as("runs of %s", genuine.taskId()).isEqualTo(1);
    // a genuine task the victim never saw, replayed after its deadline: rejected (the deadline is
    // a few seconds out so that capturing it on a loaded machine cannot outlast it)
    NodeMessage.Task late = capture(new JsonArray().add(victim.agentId()).add(witness.id()),
        new JsonObject().put("expiresAt", Instant.now().plusSeconds(8).toString()));
    Waits.until(() -> Instant.now().isAfter(late.deadline().plusMillis(200)) ? true : null, Duration.ofSeconds(30));
    assertThat(outcome(late)).startsWith("rejected: deadline passed");
    assertThat(started).doesNotContain(late.taskId());
  }

  /** A genuine task signed for another agent, replayed to this one: rejected as out of scope. */
  @Test
  void taskForAnotherAgentIsRejected() {
    NodeMessage.Task othersTask = capture(new JsonArray().add(witness.id()), null);
    assertThat(outcome(othersTask)).startsWith("rejected: ").contains("scope");
    assertThat(started).doesNotContain(othersTask.taskId());
    // and one aimed at a tag the victim does not have
    Api.Res r = api.post("/api/v1/rollouts", Waits.execRollout(new JsonObject().put("tags",
        new JsonArray().add("witness"))));
    String rolloutId = r.json().getString("id");
    NodeMessage.Task tagged = Waits.until(() -> witness.tasks().stream().filter(t -> t.rolloutId().equals(rolloutId))
        .findFirst().orElse(null), Duration.ofSeconds(20));
    assertThat(outcome(tagged)).startsWith("rejected: ").contains("scope");
    Waits.rolloutState(api, rolloutId, Set.of("completed"), Duration.ofSeconds(20));
  }
}
