package io.fleetcast.agent;

import static io.fleetcast.agent.testing.Agents.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.testing.Agents;
import io.fleetcast.agent.testing.FakeNode;
import io.fleetcast.agent.testing.TestKeys;
import io.fleetcast.protocol.NodeMessage;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a fake node and a fake gateway over real sockets on 127.0.0.1: a task lacking
 * only tags waits for one gateway lookup (a re-delivery meanwhile is a duplicate, not a second
 * run), runs when the gateway assigned the tag, and the next miss within the interval asks nobody.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class AssignedTagsLookupTest {
  private static final String AGENT = "agent-1";
  private static final String SECRET = "s3cret";

  @TempDir
  Path stateDir;

  private final TestKeys keys = new TestKeys("k1");
  private FakeNode node;
  private HttpServer gateway;
  private AgentLite agent;

  @AfterEach
  void stopAll() throws Exception {
    if (agent != null) {
      agent.stop().await(10, TimeUnit.SECONDS);
    }
    node.close();
    gateway.close().await(10, TimeUnit.SECONDS);
  }

  /** Two deliveries during the lookup run the task once; a later miss within the interval is rejected without asking. */
  @Test
  void oneLookupThenRunOnce(Vertx vertx) throws Exception {
    node = new FakeNode(vertx, AGENT, SECRET, "node-a").start();
    AtomicInteger selfCalls = new AtomicInteger();
    List<String> authorizations = new CopyOnWriteArrayList<>();
    Promise<Void> answer = Promise.promise();
    gateway = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(req -> {
      if (!req.path().equals("/agent/v1/self")) {
        req.response().setStatusCode(503).end(); // no bootstrap: the agent stays on the fake node
        return;
      }
      selfCalls.incrementAndGet();
      authorizations.add(req.getHeader("Authorization"));
      answer.future().onComplete(v -> req.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("agentId", AGENT).put("tags", new JsonArray().add("b")).encode()));
    }).listen().await(10, TimeUnit.SECONDS);
    List<String> duplicates = new CopyOnWriteArrayList<>();
    agent = new AgentLite(vertx, Agents.options(stateDir, AGENT, SECRET, node.url(), keys)
        .gatewayUrl("http://127.0.0.1:" + gateway.actualPort()));
    agent.addListener(new AgentListener() {
      @Override
      public void onDuplicateTask(String taskId) {
        duplicates.add(taskId);
      }
    });
    agent.start().await(10, TimeUnit.SECONDS);
    eventually("connected", agent::connected);

    NodeMessage.Task task = keys.sign(TestKeys.task("t-b", "exec", TestKeys.exec("echo assigned"),
        new JsonObject().put("tags", new JsonArray().add("lab").add("b"))));
    node.send(task);
    eventually("the lookup started", () -> selfCalls.get() == 1);
    node.send(task);
    eventually("the re-delivery counted as a duplicate", () -> duplicates.contains("t-b"));
    assertThat(node.frames("result")).isEmpty();
    answer.complete();

    assertThat(node.awaitResult("t-b").getString("status")).isEqualTo("succeeded");
    assertThat(agent.executedTaskIds()).containsExactly("t-b");
    assertThat(authorizations).containsExactly("Bearer " + AGENT + "." + SECRET);

    NodeMessage.Task other = keys.sign(TestKeys.task("t-c", "exec", TestKeys.exec("echo no"),
        new JsonObject().put("tags", new JsonArray().add("c"))));
    node.send(other);
    JsonObject rejected = node.awaitResult("t-c");
    assertThat(rejected.getString("status")).isEqualTo("rejected");
    assertThat(rejected.getString("output")).contains("agent lacks tags [c]");
    assertThat(selfCalls.get()).as("no second lookup within the interval").isEqualTo(1);
    assertThat(agent.executedTaskIds()).containsExactly("t-b");
  }
}
