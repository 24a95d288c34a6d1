package io.fleetcast.agent.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.enroll.SigningKey;
import io.fleetcast.agent.task.Cancellation;
import io.fleetcast.agent.task.SigningKeys;
import io.fleetcast.agent.task.TaskContext;
import io.fleetcast.agent.task.TaskOutcome;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.ReleaseSignature;
import io.fleetcast.protocol.TaskSignature;
import io.fleetcast.protocol.TaskStatus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agentUpdate kind's refusals: no launcher, bad spec, a signature no known key made (checked before any download). */
class AgentUpdateKindTest {
  static Vertx vertx;
  static KeyPair gateway;
  static KeyPair attacker;
  static final String SHA = "ab".repeat(32);

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    gateway = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    attacker = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static AgentUpdateKind kind(Path installDir) {
    SigningKeys keys = new SigningKeys();
    keys.replace(List.of(new SigningKey("k1", TaskSignature.encode(gateway.getPublic()))));
    // no downloader: every case here must be decided before anything is fetched
    return new AgentUpdateKind(null, keys, vertx.createSharedWorkerExecutor("t", 1, 1, TimeUnit.MINUTES), installDir,
        "1.0.0", () -> { throw new AssertionError("must not restart"); });
  }

  static JsonObject spec(String signature) {
    return new JsonObject().put("version", "2.0.0").put("url", "http://127.0.0.1:9/x.jar").put("sha256", SHA)
        .put("size", 10).put("signature", signature).put("keyId", "k1");
  }

  static TaskOutcome run(AgentUpdateKind k, JsonObject spec) throws Exception {
    NodeMessage.Task t = new NodeMessage.Task("00000000-0000-0000-0000-000000000001", "r", 0, "agentUpdate", spec,
        Instant.now().plusSeconds(60), null, false, new JsonObject(), null, null);
    return k.run(new TaskContext(t, new Cancellation(), vertx, vertx.getOrCreateContext(), (p, m) -> {}))
        .await(30, TimeUnit.SECONDS);
  }

  /** Without the launcher's install directory the task is refused: the agent could not swap itself. */
  @Test
  void refusedWithoutLauncher() {
    assertThat(kind(null).validate(spec("x"))).contains("does not run under the fleetcast launcher");
  }

  /** A malformed spec is refused with the field named. */
  @Test
  void badSpec(@TempDir Path dir) {
    assertThat(kind(dir).validate(spec("x").put("sha256", "nope"))).contains("spec.sha256");
    assertThat(kind(dir).validate(spec("x").put("connectTimeoutSeconds", 1))).contains("connectTimeoutSeconds");
  }

  /** A release signed by another key fails the task; nothing is downloaded, staged or restarted. */
  @Test
  void foreignSignature(@TempDir Path dir) throws Exception {
    String forged = ReleaseSignature.sign("2.0.0", SHA, attacker.getPrivate());
    TaskOutcome o = run(kind(dir), spec(forged));
    assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(o.output()).contains("does not verify");
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).isEmpty();
    }
    // and the gateway's own signature over another version does not carry over
    String other = ReleaseSignature.sign("2.0.1", SHA, gateway.getPrivate());
    assertThat(run(kind(dir), spec(other)).output()).contains("does not verify");
  }

  /** Asked for the version it already runs, the agent succeeds without doing anything. */
  @Test
  void alreadyThere(@TempDir Path dir) throws Exception {
    TaskOutcome o = run(kind(dir), spec("x").put("version", "1.0.0"));
    assertThat(o.status()).isEqualTo(TaskStatus.SUCCEEDED);
  }
}
