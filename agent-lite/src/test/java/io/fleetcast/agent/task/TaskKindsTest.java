package io.fleetcast.agent.task;

import static io.fleetcast.agent.testing.Agents.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.config.ConsentPolicy;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.agent.os.ConsentPrompt;
import io.fleetcast.agent.testing.Agents;
import io.fleetcast.agent.testing.FakeNode;
import io.fleetcast.agent.testing.FakeOsActions;
import io.fleetcast.agent.testing.TestKeys;
import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each task kind through a real agent and a fake node on 127.0.0.1; OS actions are faked. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class TaskKindsTest {
  private static final String AGENT = "agent-k";

  @TempDir
  Path dir;

  private final TestKeys keys = new TestKeys("k1");
  private final FakeOsActions os = new FakeOsActions();
  private final StaticFactsProvider facts = StaticFactsProvider.loopback("kinds-host");
  private FakeNode node;
  private AgentLite agent;

  @BeforeEach
  void startNode(Vertx vertx) {
    node = new FakeNode(vertx, AGENT, "pw", "node-k").start();
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.stop().await(10, TimeUnit.SECONDS);
    }
    node.close();
  }

  private void startAgent(Vertx vertx, Consumer<AgentOptions> tweak) throws Exception {
    AgentOptions o = Agents.options(dir.resolve("state"), AGENT, "pw", node.url(), keys).osActions(os)
        .factsProvider(facts);
    tweak.accept(o);
    agent = new AgentLite(vertx, o);
    agent.start().await(10, TimeUnit.SECONDS);
    eventually("connected", agent::connected);
  }

  private JsonObject run(String taskId, String kind, JsonObject spec) {
    node.send(keys.signed(taskId, kind, spec, AGENT));
    return node.awaitResult(taskId);
  }

  /** An exec over its timeout is timedOut and its whole process tree is killed. */
  @Test
  void execTimeoutKillsProcessTree(Vertx vertx) throws Exception {
    startAgent(vertx, o -> {});
    Path pidFile = dir.resolve("child.pid");

    JsonObject r = run("t-timeout", "exec", new JsonObject().put("shell", true).put("timeoutSeconds", 1)
        .put("command", "sleep 30 & echo $! > '" + pidFile + "'; echo started; wait"));

    assertThat(r.getString("status")).isEqualTo("timedOut");
    // status and message say the 1 s limit ended it (a 'sleep 30' left alone ends succeeded)
    assertThat(r.getString("output")).contains("started").contains("timed out after 1 s");
    // the short error the server shows as the target's reason (issue 11 #16)
    assertThat(r.getString("error")).isEqualTo("timed out after 1 s: process tree killed");
    long child = Long.parseLong(Files.readString(pidFile).trim());
    eventually("child killed", () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
  }

  /** Exit codes, env, args and a huge output: the result frame stays under the limit and keeps the tail. */
  @Test
  void execExitCodeEnvArgsAndOutputTail(Vertx vertx) throws Exception {
    startAgent(vertx, o -> {});

    JsonObject failed = run("t-exit", "exec", new JsonObject().put("command", "/bin/sh")
        .put("args", new JsonArray().add("-c").add("echo \"$GREETING $0\" >&2; exit 7").add("arg0"))
        .put("env", new JsonObject().put("GREETING", "hi")));
    JsonObject big = run("t-big", "exec", TestKeys.exec("head -c 300000 /dev/zero | tr '\\0' x; echo; echo THE-END"));
    JsonObject missing = run("t-missing", "exec", new JsonObject().put("command", "/no/such/binary"));

    assertThat(failed.getString("status")).isEqualTo("failed");
    assertThat(failed.getInteger("exitCode")).isEqualTo(7);
    assertThat(failed.getString("output")).isEqualTo("hi arg0\n");
    assertThat(big.getString("status")).isEqualTo("succeeded");
    assertThat(big.encode().length()).isLessThanOrEqualTo(60 * 1024);
    assertThat(big.getString("output")).startsWith("[output truncated]").endsWith("THE-END\n");
    assertThat(missing.getString("status")).isEqualTo("failed");
    assertThat(missing.getString("output")).contains("Cannot run program");
    assertThat(missing.getString("error")).isEqualTo("command not found: /no/such/binary");
  }

  /** inventory re-sends facts and reports them; service goes through OsActions. */
  @Test
  void inventoryAndService(Vertx vertx) throws Exception {
    startAgent(vertx, o -> {});

    JsonObject inv = run("t-inv", "inventory", new JsonObject());
    JsonObject svc = run("t-svc", "service", new JsonObject().put("name", "nginx").put("action", "restart"));
    JsonObject bad = run("t-svc-bad", "service", new JsonObject().put("name", "--now").put("action", "stop"));

    assertThat(inv.getString("status")).isEqualTo("succeeded");
    assertThat(new JsonObject(inv.getString("output")).getString("hostname")).isEqualTo("kinds-host");
    assertThat(node.frames("facts")).isNotEmpty();
    assertThat(svc.getString("status")).isEqualTo("succeeded");
    assertThat(bad.getString("status")).isEqualTo("rejected");
    assertThat(os.calls).containsExactly("service RESTART nginx");
  }

  /** power onlyIfNoUser is declined while someone is logged on, and scheduled when nobody is. */
  @Test
  void powerOnlyIfNoUser(Vertx vertx) throws Exception {
    startAgent(vertx, o -> {});
    facts.setUsers(List.of("alice"));
    JsonObject spec = new JsonObject().put("action", "reboot").put("onlyIfNoUser", true).put("delaySeconds", 30)
        .put("message", "Rebooting for patches");

    JsonObject declined = run("t-pw1", "power", spec);
    assertThat(declined.getString("status")).isEqualTo("declined");
    assertThat(declined.getString("output")).contains("alice");
    assertThat(os.calls).isEmpty();

    facts.setUsers(List.of());
    JsonObject done = run("t-pw2", "power", spec);
    assertThat(done.getString("status")).isEqualTo("succeeded");
    assertThat(os.calls).containsExactly("message Rebooting for patches", "power REBOOT 30");
  }

  /** requireConsent: a "no" and a timeout decline; a "yes" runs; nobody logged on follows the policy. */
  @Test
  void consent(Vertx vertx) throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    ConsentPrompt prompt = (users, question, timeout) -> {
      asked.add(users + " " + question);
      return switch (asked.size()) {
        case 1 -> Future.succeededFuture(ConsentPrompt.Answer.DENIED);
        case 2 -> Promise.<ConsentPrompt.Answer>promise().future(); // never answers
        default -> Future.succeededFuture(ConsentPrompt.Answer.GRANTED);
      };
    };
    startAgent(vertx, o -> o.consentPrompt(prompt).consentTimeout(Duration.ofMillis(300))
        .consentWhenNoUser(ConsentPolicy.DECLINE));
    facts.setUsers(List.of("bob"));

    JsonObject no = runWithConsent("t-c1");
    JsonObject silent = runWithConsent("t-c2");
    JsonObject yes = runWithConsent("t-c3");
    facts.setUsers(List.of());
    JsonObject nobody = runWithConsent("t-c4");

    assertThat(no.getString("status")).isEqualTo("declined");
    assertThat(no.getString("output")).contains("declined by the user (bob)");
    assertThat(silent.getString("status")).isEqualTo("declined");
    assertThat(silent.getString("output")).contains("no answer");
    assertThat(yes.getString("status")).isEqualTo("succeeded");
    assertThat(nobody.getString("status")).isEqualTo("declined");
    assertThat(nobody.getString("output")).contains("nobody is logged on");
    assertThat(asked).hasSize(3).allMatch(q -> q.startsWith("[bob]"));
    assertThat(agent.executedTaskIds()).containsExactly("t-c3");
  }

  private JsonObject runWithConsent(String id) {
    NodeMessage.Task t = TestKeys.task(id, "exec", TestKeys.exec("echo consented"),
        new JsonObject().put("agents", new JsonArray().add(AGENT)));
    t = new NodeMessage.Task(t.taskId(), t.rolloutId(), 0, t.kind(), t.spec(), t.deadline(), null, true, t.scope(),
        null, null);
    node.send(keys.sign(t));
    return node.awaitResult(id);
  }

  /** notBefore in the future holds the task until then. */
  @Test
  void notBeforeWaits(Vertx vertx) throws Exception {
    startAgent(vertx, o -> {});
    java.time.Instant notBefore = java.time.Instant.now().plusMillis(700);
    NodeMessage.Task t = TestKeys.task("t-nb", "exec", TestKeys.exec("date +%s%3N"),
        new JsonObject().put("all", true));
    t = new NodeMessage.Task(t.taskId(), t.rolloutId(), 0, t.kind(), t.spec(), t.deadline(), notBefore, false,
        t.scope(), null, null);
    node.send(keys.sign(t));
    node.await("ack", j -> "t-nb".equals(j.getString("taskId")));
    JsonObject r = node.awaitResult("t-nb");
    assertThat(java.time.Instant.parse(r.getString("startedAt"))).isAfterOrEqualTo(notBefore);
  }
}
