package io.fleetcast.agent.testing;

import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.TaskRelease;
import io.fleetcast.protocol.TaskSignature;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;

/** A gateway signing key for tests, and helpers to build signed tasks. */
public final class TestKeys {
  public final String keyId;
  public final KeyPair pair;

  public TestKeys(String keyId) {
    this.keyId = keyId;
    try {
      this.pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String publicKeyBase64() {
    return TaskSignature.encode(pair.getPublic());
  }

  /** Signs the task and releases it for the next five minutes, as the gateway does at dispatch. */
  public NodeMessage.Task sign(NodeMessage.Task t) {
    NodeMessage.Task signed = signWithoutRelease(t);
    return signed.withRelease(release(signed.taskId(), Instant.now().plus(Duration.ofMinutes(5))));
  }

  public NodeMessage.Task signWithoutRelease(NodeMessage.Task t) {
    return t.withSignature(keyId, TaskSignature.sign(t, pair.getPrivate()));
  }

  public TaskRelease release(String taskId, Instant notAfter) {
    return TaskRelease.sign(taskId, java.util.UUID.randomUUID().toString(), notAfter, keyId, pair.getPrivate());
  }

  public NodeMessage.Cancel cancel(String taskId) {
    return NodeMessage.Cancel.sign(taskId, Instant.now(), keyId, pair.getPrivate());
  }

  public static NodeMessage.Task task(String taskId, String kind, JsonObject spec, JsonObject scope) {
    return new NodeMessage.Task(taskId, "rollout-1", 0, kind, spec, Instant.now().plus(Duration.ofMinutes(10)),
        null, false, scope, null, null);
  }

  public NodeMessage.Task signed(String taskId, String kind, JsonObject spec, String agentId) {
    return sign(task(taskId, kind, spec, new JsonObject().put("agents", new io.vertx.core.json.JsonArray()
        .add(agentId))));
  }

  public static JsonObject exec(String shellLine) {
    return new JsonObject().put("command", shellLine).put("shell", true).put("timeoutSeconds", 30);
  }
}
