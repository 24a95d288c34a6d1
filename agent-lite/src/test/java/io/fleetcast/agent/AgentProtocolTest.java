package io.fleetcast.agent;

import static io.fleetcast.agent.testing.Agents.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.testing.Agents;
import io.fleetcast.agent.testing.FakeNode;
import io.fleetcast.agent.testing.TestKeys;
import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a fake node over a real WebSocket on 127.0.0.1: the agent channel end to end. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class AgentProtocolTest {
  private static final String AGENT = "agent-1";
  private static final String SECRET = "s3cret";

  @TempDir
  Path stateDir;

  private final TestKeys keys = new TestKeys("k1");
  private FakeNode node;
  private AgentLite agent;

  @BeforeEach
  void startNode(Vertx vertx) throws Exception {
    node = new FakeNode(vertx, AGENT, SECRET, "node-a").start();
  }

  @AfterEach
  void stopAll() throws Exception {
    if (agent != null) {
      agent.stop().await(10, TimeUnit.SECONDS);
    }
    node.close();
  }

  private AgentLite start(Vertx vertx, AgentOptions o) throws Exception {
    AgentLite a = new AgentLite(vertx, o);
    a.start().await(10, TimeUnit.SECONDS);
    return a;
  }

  /**
   * The core contract: hello with real-shaped facts; a signed task is acked and its result sent;
   * an unacknowledged result is re-sent after a reconnect; the same task again is answered with
   * the stored result and never run twice, not even after a restart.
   */
  @Test
  void helloTaskResultResendAndNoRerun(Vertx vertx) throws Exception {
    // GIVEN a connected agent that acks at once (the ack is part of what this test checks)
    agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys).ackGrace(Duration.ZERO));
    JsonObject hello = node.await("hello", j -> true);
    assertThat(hello.getString("agentId")).isEqualTo(AGENT);
    assertThat(hello.getString("version")).isNotBlank();
    JsonObject facts = hello.getJsonObject("facts");
    assertThat(facts.getString("hostname")).isEqualTo("test-host");
    assertThat(facts.getJsonArray("subnets").getList()).containsExactly("127.0.0.0/8");
    assertThat(facts.getJsonArray("tags").getList()).contains("lab");
    eventually("connected", agent::connected);

    // WHEN a signed exec task arrives
    NodeMessage.Task task = keys.signed("t-1", "exec", TestKeys.exec("echo hello-$FLEETCAST_TASK_ID"), AGENT);
    node.send(task);

    // THEN it is acked, run once, and its result sent
    node.await("ack", j -> "t-1".equals(j.getString("taskId")));
    JsonObject result = node.awaitResult("t-1");
    assertThat(result.getString("status")).isEqualTo("succeeded");
    assertThat(result.getInteger("exitCode")).isZero();
    assertThat(result.getString("output")).isEqualTo("hello-t-1\n");
    assertThat(result.getString("startedAt")).isNotNull();
    assertThat(result.getString("finishedAt")).isNotNull();
    assertThat(agent.pendingResults()).isEqualTo(1);

    // WHEN the node drops the connection without acknowledging the result
    node.dropConnection();
    node.awaitConnections(2);

    // THEN after the new hello the result is sent again
    node.await("hello", j -> true, 2, Duration.ofSeconds(30));
    node.await("result", j -> "t-1".equals(j.getString("taskId")), 2, Duration.ofSeconds(30));

    // WHEN the same task is delivered again
    node.send(task);

    // THEN the stored result is re-sent, and the task did not run again
    node.await("result", j -> "t-1".equals(j.getString("taskId")), 3, Duration.ofSeconds(30));
    assertThat(agent.executedTaskIds()).containsExactly("t-1");

    // WHEN the node acknowledges, the agent forgets the result
    node.send(new NodeMessage.ResultAck("t-1"));
    eventually("result deleted", () -> agent.pendingResults() == 0);

    // AND after a restart on the same state dir the task id is still never run again
    agent.stop().await(10, TimeUnit.SECONDS);
    agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys));
    node.awaitConnections(3);
    node.await("hello", j -> true, 3, Duration.ofSeconds(30));
    node.send(task);
    JsonObject again = node.await("result", j -> "t-1".equals(j.getString("taskId")), 4, Duration.ofSeconds(30))
        .get(3);
    assertThat(again.getString("status")).isEqualTo("succeeded");
    assertThat(agent.executedTaskIds()).isEmpty();
  }

  /**
   * The crash hook: the agent stops abruptly after sending a result and before its ack; a new
   * agent on the same state dir re-sends the result after welcome and does not re-run the task.
   */
  @Test
  void crashAfterResultSendResendsAfterRestart(Vertx vertx) throws Exception {
    Path marker = stateDir.resolveSibling(stateDir.getFileName() + "-runs.txt");
    agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys).crashAfterResultSend(true));
    node.await("hello", j -> true);
    eventually("connected", agent::connected);

    node.send(keys.signed("t-crash", "exec", TestKeys.exec("echo run >> '" + marker + "'"), AGENT));
    node.awaitResult("t-crash");
    agent.stopped().await(10, TimeUnit.SECONDS);
    assertThat(agent.connected()).isFalse();
    node.send(new NodeMessage.ResultAck("t-crash")); // too late: the agent is gone

    agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys));
    node.await("result", j -> "t-crash".equals(j.getString("taskId")), 2, Duration.ofSeconds(30));
    node.send(keys.signed("t-crash", "exec", TestKeys.exec("echo run >> '" + marker + "'"), AGENT));
    node.await("result", j -> "t-crash".equals(j.getString("taskId")), 3, Duration.ofSeconds(30));
    assertThat(Files.readAllLines(marker)).containsExactly("run");
    assertThat(agent.executedTaskIds()).isEmpty();
  }

  /**
   * Frames whose signature or release fails verification are ignored without a trace: no result,
   * nothing recorded, so a forged frame carrying a real task id cannot pre-empt the genuine task,
   * which still runs when it comes (issue 11 #12, #11). Genuine tasks out of scope, past their
   * deadline or of an unknown kind are answered rejected with the reason. None of them runs.
   */
  @Test
  void rejectsBadSignatureScopeDeadlineAndKind(Vertx vertx) throws Exception {
    agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys).ackGrace(Duration.ZERO));
    java.util.List<String> ignored = new java.util.concurrent.CopyOnWriteArrayList<>();
    agent.addListener(new AgentListener() {
      @Override
      public void onTaskIgnored(String taskId, String reason) {
        ignored.add(taskId + ": " + reason);
      }
    });
    node.await("hello", j -> true);
    eventually("connected", agent::connected);
    TestKeys stranger = new TestKeys("k1");

    NodeMessage.Task forged = stranger.signed("t-forged", "exec", TestKeys.exec("echo pwned"), AGENT);
    NodeMessage.Task genuine = keys.signed("t-tampered", "exec", TestKeys.exec("echo genuine"), AGENT);
    NodeMessage.Task tampered = new NodeMessage.Task(genuine.taskId(), genuine.rolloutId(), 0, "exec",
        TestKeys.exec("echo pwned"), genuine.deadline(), null, false, genuine.scope(), genuine.keyId(),
        genuine.signature(), genuine.release());
    NodeMessage.Task unsigned = TestKeys.task("t-unsigned", "exec", TestKeys.exec("echo x"),
        new JsonObject().put("all", true));
    NodeMessage.Task noRelease = keys.signWithoutRelease(TestKeys.task("t-norelease", "exec", TestKeys.exec("echo x"),
        new JsonObject().put("all", true)));
    NodeMessage.Task staleRelease = keys.signWithoutRelease(TestKeys.task("t-stale", "exec", TestKeys.exec("echo x"),
        new JsonObject().put("all", true))).withRelease(keys.release("t-stale", java.time.Instant.now().minusSeconds(600)));
    NodeMessage.Task borrowedRelease = keys.signWithoutRelease(TestKeys.task("t-borrowed", "exec",
        TestKeys.exec("echo x"), new JsonObject().put("all", true))).withRelease(genuine.release());
    NodeMessage.Task otherAgent = keys.signed("t-other", "exec", TestKeys.exec("echo x"), "agent-2");
    NodeMessage.Task expired = keys.sign(new NodeMessage.Task("t-expired", "r", 0, "exec", TestKeys.exec("echo x"),
        java.time.Instant.now().minusSeconds(5), null, false, new JsonObject().put("all", true), null, null));
    NodeMessage.Task unknownKind = keys.signed("t-kind", "teleport", new JsonObject(), AGENT);
    NodeMessage.Task tagScope = keys.sign(TestKeys.task("t-tags", "exec", TestKeys.exec("echo in-scope"),
        new JsonObject().put("tags", new io.vertx.core.json.JsonArray().add("lab"))
            .put("subnets", new io.vertx.core.json.JsonArray().add("127.0.0.0/8"))));

    for (NodeMessage.Task t : new NodeMessage.Task[] {forged, tampered, unsigned, noRelease, staleRelease,
        borrowedRelease, otherAgent, expired, unknownKind, tagScope}) {
      node.send(t);
    }

    assertThat(node.awaitResult("t-other").getString("output")).contains("not in scope");
    assertThat(node.awaitResult("t-expired").getString("output")).contains("deadline passed");
    assertThat(node.awaitResult("t-kind").getString("output")).contains("unknown kind");
    // and the kinds it names are exactly the protocol's (one agent class per descriptor)
    String runs = node.awaitResult("t-kind").getString("output").replaceAll("(?s).*this agent runs (.*)\\).*", "$1");
    assertThat(runs.split(", ")).containsExactlyInAnyOrderElementsOf(io.fleetcast.protocol.task.TaskKinds.names());
    for (String id : new String[] {"t-other", "t-expired", "t-kind"}) {
      assertThat(node.awaitResult(id).getString("status")).as(id).isEqualTo("rejected");
    }
    assertThat(node.awaitResult("t-tags").getString("status")).isEqualTo("succeeded");
    // the ignored frames were decided on arrival, before the last task's result: none has an answer
    assertThat(ignored).hasSize(6);
    assertThat(String.join("\n", ignored)).contains("t-forged: bad signature", "t-tampered: bad signature",
        "t-unsigned: bad signature", "t-norelease: no release", "t-stale: release expired",
        "t-borrowed: bad release");
    assertThat(node.frames("result")).extracting(j -> j.getString("taskId"))
        .doesNotContain("t-forged", "t-tampered", "t-unsigned", "t-norelease", "t-stale", "t-borrowed");

    // WHEN the genuine frame of the task id a forged one used arrives
    node.send(genuine);

    // THEN it runs: the forged frame did not pre-empt it
    JsonObject real = node.awaitResult("t-tampered");
    assertThat(real.getString("status")).isEqualTo("succeeded");
    assertThat(real.getString("output")).isEqualTo("genuine\n");
    assertThat(agent.executedTaskIds()).containsExactly("t-tags", "t-tampered");
    assertThat(node.frames("ack")).extracting(j -> j.getString("taskId")).containsExactly("t-tags", "t-tampered");
  }

  /**
   * A task still running when the ack grace ends is acked and reported running (progress) then, in
   * that order, so the node can show {@code running}; its result follows.
   */
  @Test
  void reportsRunningWhenTheTaskOutlastsTheAckGrace(Vertx vertx) throws Exception {
    agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys).ackGrace(Duration.ofMillis(200)));
    eventually("connected", agent::connected);
    long sent = System.nanoTime();
    node.send(keys.signed("t-run", "exec", TestKeys.exec("sleep 1; echo hi"), AGENT));
    JsonObject progress = node.await("progress", j -> "t-run".equals(j.getString("taskId")));
    assertThat(progress.getString("message")).isEqualTo("running");
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("held for the grace").isGreaterThanOrEqualTo(
        Duration.ofMillis(200));
    assertThat(node.frames("result")).as("reported while it still runs").isEmpty();
    node.awaitResult("t-run");
    java.util.List<String> order = node.frames.stream().filter(j -> "t-run".equals(j.getString("taskId")))
        .map(j -> j.getString("type")).toList();
    assertThat(order).containsExactly("ack", "progress", "result");
  }

  /**
   * A task finishing within the ack grace is reported by its result alone: no ack and no running
   * report, not even after the grace, since the result moves the target past both.
   */
  @Test
  void quickTaskIsReportedByItsResultAlone(Vertx vertx) throws Exception {
    agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys).ackGrace(Duration.ofSeconds(1)));
    eventually("connected", agent::connected);
    node.send(keys.signed("t-quick", "exec", TestKeys.exec("echo hi"), AGENT));
    assertThat(node.awaitResult("t-quick").getString("status")).isEqualTo("succeeded");
    // a later task acked at once shows the link is flushed; nothing more came for the first
    node.send(keys.signed("t-after", "exec", TestKeys.exec("sleep 2"), AGENT));
    node.await("ack", j -> "t-after".equals(j.getString("taskId")), 1, Duration.ofSeconds(20));
    java.util.List<String> quick = node.frames.stream().filter(j -> "t-quick".equals(j.getString("taskId")))
        .map(j -> j.getString("type")).toList();
    assertThat(quick).containsExactly("result");
  }

  /** A failure with no exit code carries a short error saying why (here: the command does not exist). */
  @Test
  void missingCommandIsReportedAsSuch(Vertx vertx) throws Exception {
    agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys));
    eventually("connected", agent::connected);
    node.send(keys.signed("t-missing", "exec", new JsonObject().put("command", "/nonexistent/fleetcast-no-such-tool"),
        AGENT));
    JsonObject r = node.awaitResult("t-missing");
    assertThat(r.getString("status")).isEqualTo("failed");
    assertThat(r.getInteger("exitCode")).isNull();
    assertThat(r.getString("error")).isEqualTo("command not found: /nonexistent/fleetcast-no-such-tool");
  }

  /** A cancel kills the running process tree and the result says cancelled. */
  @Test
  void cancelStopsRunningTask(Vertx vertx) throws Exception {
    agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys));
    eventually("connected", agent::connected);
    node.send(keys.signed("t-long", "exec", TestKeys.exec("sleep 30"), AGENT));
    node.await("ack", j -> "t-long".equals(j.getString("taskId")));
    eventually("started", () -> agent.executedTaskIds().contains("t-long"));

    // an unsigned cancel (a node cannot stop a task) is ignored; the gateway's signed one is obeyed
    node.send(new NodeMessage.Cancel("t-long"));
    node.send(keys.cancel("t-long"));

    // the status says it: an uncancelled 'sleep 30' would end succeeded, not cancelled
    JsonObject r = node.awaitResult("t-long");
    assertThat(r.getString("status")).isEqualTo("cancelled");
  }

  /** A reconnect frame moves the agent to the named node after afterMillis. */
  @Test
  void reconnectMovesToAnotherNode(Vertx vertx) throws Exception {
    try (FakeNode other = new FakeNode(vertx, AGENT, SECRET, "node-b").start()) {
      agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys));
      eventually("connected", agent::connected);
      node.send(new NodeMessage.Reconnect(other.url(), 100));
      other.await("hello", j -> true);
      eventually("connected to b", agent::connected);
      assertThat(node.connections.get()).isEqualTo(1);
    }
  }

  /** 401 backs off towards the cap instead of retrying fast; 503 honours Retry-After. */
  @Test
  void refusedUpgradesBackOff(Vertx vertx) throws Exception {
    node.mode(FakeNode.Mode.UNAUTHORIZED);
    agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys)
        .backoffBase(Duration.ofMillis(10)).backoffCap(Duration.ofSeconds(2)));
    // fast retries would be ~10 ms apart; refusals wait between cap/2 and cap: observe two
    // attempts, then their gap (a lower bound: a loaded machine only makes it longer)
    eventually("two refused attempts", () -> node.upgradeAttempts.size() >= 2);
    assertThat(Duration.between(node.upgradeAttempts.get(0), node.upgradeAttempts.get(1)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));

    agent.stop().await(10, TimeUnit.SECONDS);
    node.upgradeAttempts.clear();
    node.mode(FakeNode.Mode.BUSY).retryAfter(1);
    agent = start(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys)
        .backoffBase(Duration.ofMillis(10)).backoffCap(Duration.ofSeconds(60)));
    eventually("two attempts", () -> node.upgradeAttempts.size() >= 2);
    node.mode(FakeNode.Mode.ACCEPT);
    assertThat(Duration.between(node.upgradeAttempts.get(0), node.upgradeAttempts.get(1)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }
}
