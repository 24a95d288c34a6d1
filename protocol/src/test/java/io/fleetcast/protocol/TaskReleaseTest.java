package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Signed releases, signed cancels and result errors on the wire (issue 11 #11, #16). */
class TaskReleaseTest {
  private static final Instant AT = Instant.parse("2026-12-01T12:00:00Z");

  private static KeyPair keys() throws Exception {
    return KeyPairGenerator.getInstance(TaskSignature.ALGORITHM).generateKeyPair();
  }

  /** A release verifies for its task with its key, and for no other task, key, nonce or time; it survives the wire. */
  @Test
  void releaseIsBoundToTaskNonceAndTime() throws Exception {
    KeyPair k = keys();
    TaskRelease r = TaskRelease.sign("t1", "n1", AT, "k1", k.getPrivate());
    assertThat(r.verify("t1", k.getPublic())).isTrue();
    assertThat(r.verify("t2", k.getPublic())).isFalse();
    assertThat(r.verify("t1", keys().getPublic())).isFalse();
    assertThat(new TaskRelease("n2", AT, "k1", r.signature()).verify("t1", k.getPublic())).isFalse();
    assertThat(new TaskRelease("n1", AT.plusSeconds(1), "k1", r.signature()).verify("t1", k.getPublic())).isFalse();
    NodeMessage.Task task = new NodeMessage.Task("t1", "r1", 0, "inventory", new JsonObject(), AT.plusSeconds(60), null,
        false, new JsonObject().put("all", true), "k1", "sig", r);
    NodeMessage.Task back = (NodeMessage.Task) NodeMessage.decode(task.encode());
    assertThat(back).isEqualTo(task);
    assertThat(back.release().verify("t1", k.getPublic())).isTrue();
  }

  /** The task signature does not cover the release: a fresh release can be attached to a stored signed task. */
  @Test
  void taskSignatureIgnoresTheRelease() throws Exception {
    KeyPair k = keys();
    NodeMessage.Task task = new NodeMessage.Task("t1", "r1", 0, "inventory", new JsonObject(), AT.plusSeconds(60), null,
        false, new JsonObject().put("all", true), "k1", null);
    NodeMessage.Task signed = task.withSignature("k1", TaskSignature.sign(task.withSignature("k1", null), k.getPrivate()));
    assertThat(TaskSignature.verify(signed.withRelease(TaskRelease.sign("t1", "n", AT, "k1", k.getPrivate())),
        k.getPublic())).isTrue();
  }

  /** A signed cancel verifies and round-trips; an unsigned or altered one does not verify. */
  @Test
  void cancelIsSigned() throws Exception {
    KeyPair k = keys();
    NodeMessage.Cancel c = NodeMessage.Cancel.sign("t1", AT, "k1", k.getPrivate());
    NodeMessage.Cancel back = (NodeMessage.Cancel) NodeMessage.decode(c.encode());
    assertThat(back).isEqualTo(c);
    assertThat(back.verify(k.getPublic())).isTrue();
    assertThat(new NodeMessage.Cancel("t1").verify(k.getPublic())).isFalse();
    assertThat(new NodeMessage.Cancel("t2", AT, "k1", c.signature()).verify(k.getPublic())).isFalse();
    assertThat(((NodeMessage.Cancel) NodeMessage.decode("{\"type\":\"cancel\",\"taskId\":\"t1\"}")).signature()).isNull();
  }

  /** A result's error round-trips, is optional, and is refused above 1 KiB. */
  @Test
  void resultErrorIsOptionalAndBounded() {
    AgentMessage.Result r = new AgentMessage.Result("t1", TaskStatus.FAILED, null, "", AT, AT, "command not found: x");
    assertThat(AgentMessage.decode(r.encode())).isEqualTo(r);
    assertThat(((AgentMessage.Result) AgentMessage.decode(new AgentMessage.Result("t1", TaskStatus.SUCCEEDED, 0, "", AT,
        AT).encode())).error()).isNull();
    String big = new JsonObject().put("type", "result").put("taskId", "t1").put("status", "failed")
        .put("error", "x".repeat(1025)).encode();
    assertThat(catchThrowableOfType(ProtocolException.class, () -> AgentMessage.decode(big))).isNotNull();
  }
}
