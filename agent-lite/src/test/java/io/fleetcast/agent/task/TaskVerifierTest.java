package io.fleetcast.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.enroll.SigningKey;
import io.fleetcast.agent.testing.TestKeys;
import io.fleetcast.protocol.Facts;
import io.fleetcast.protocol.NodeMessage.Task;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskVerifierTest {
  private final TestKeys current = new TestKeys("k2");
  private final TestKeys previous = new TestKeys("k1");
  private final Facts facts = new Facts("h", "os", "x", List.of("127.0.0.1"), List.of(), List.of(), List.of("lab"),
      List.of());

  private TaskVerifier verifier(boolean dev, TestKeys... keys) {
    SigningKeys sk = new SigningKeys();
    sk.replace(java.util.Arrays.stream(keys).map(k -> new SigningKey(k.keyId, k.publicKeyBase64())).toList());
    return new TaskVerifier(sk, dev, "a1", () -> facts, Clock.systemUTC());
  }

  private static Task task(String id) {
    return TestKeys.task(id, "exec", TestKeys.exec("echo"), new JsonObject().put("agents", List.of("a1")));
  }

  /** A task signed by any known key passes, whatever keyId it names (rotation). */
  @Test
  void acceptsAnyKnownKey() {
    TaskVerifier v = verifier(false, current, previous);
    assertThat(v.rejectionReason(current.sign(task("t1")))).isNull();
    assertThat(v.rejectionReason(previous.sign(task("t2")))).isNull();
    Task wrongKeyId = previous.sign(task("t3"));
    wrongKeyId = wrongKeyId.withSignature("k2", wrongKeyId.signature());
    assertThat(v.rejectionReason(wrongKeyId)).isNull();
  }

  /** Any change to a signed field breaks the signature: spec, scope, deadline, kind. */
  @Test
  void rejectsTampering() {
    TaskVerifier v = verifier(false, current);
    Task t = current.sign(task("t1"));
    Task spec = new Task(t.taskId(), t.rolloutId(), 0, t.kind(), TestKeys.exec("rm -rf /"), t.deadline(), null, false,
        t.scope(), t.keyId(), t.signature());
    Task scope = new Task(t.taskId(), t.rolloutId(), 0, t.kind(), t.spec(), t.deadline(), null, false,
        new JsonObject().put("all", true), t.keyId(), t.signature());
    Task deadline = new Task(t.taskId(), t.rolloutId(), 0, t.kind(), t.spec(), t.deadline().plusSeconds(3600), null,
        false, t.scope(), t.keyId(), t.signature());
    for (Task bad : List.of(spec, scope, deadline)) {
      assertThat(v.rejectionReason(bad)).startsWith("bad signature");
    }
    assertThat(v.rejectionReason(task("unsigned"))).contains("not signed");
    assertThat(v.rejectionReason(t.withSignature("k2", "!!notbase64"))).startsWith("bad signature");
  }

  /**
   * A genuinely signed task still needs the gateway's fresh release for this task id: none, a
   * forged one, one borrowed from another task or one past its notAfter (beyond the clock-skew
   * allowance) makes the frame untrustworthy (issue 11 #11).
   */
  @Test
  void requiresAFreshReleaseForTheTask() {
    Instant now = Instant.parse("2026-06-01T12:00:00Z");
    SigningKeys sk = new SigningKeys();
    sk.replace(List.of(new SigningKey(current.keyId, current.publicKeyBase64())));
    TaskVerifier v = new TaskVerifier(sk, false, "a1", () -> facts, Clock.fixed(now, java.time.ZoneOffset.UTC));
    Task t = new Task("t1", "r", 0, "exec", TestKeys.exec("echo"), now.plusSeconds(3600), null, false,
        new JsonObject().put("agents", List.of("a1")), null, null);
    Task signed = current.signWithoutRelease(t);

    assertThat(v.authenticityProblem(signed.withRelease(current.release("t1", now.plusSeconds(60))))).isNull();
    assertThat(v.authenticityProblem(signed.withRelease(current.release("t1", now.minusSeconds(30))))).isNull();
    assertThat(v.authenticityProblem(signed)).startsWith("no release");
    assertThat(v.authenticityProblem(signed.withRelease(current.release("t1", now.minus(TaskVerifier.RELEASE_CLOCK_SKEW)
        .minusSeconds(1))))).startsWith("release expired");
    assertThat(v.authenticityProblem(signed.withRelease(current.release("t2", now.plusSeconds(60)))))
        .startsWith("bad release");
    assertThat(v.authenticityProblem(signed.withRelease(previous.release("t1", now.plusSeconds(60)))))
        .startsWith("bad release");
    io.fleetcast.protocol.TaskRelease r = current.release("t1", now.plusSeconds(60));
    assertThat(v.authenticityProblem(signed.withRelease(new io.fleetcast.protocol.TaskRelease(r.nonce(),
        r.notAfter().plusSeconds(3600), r.keyId(), r.signature())))).startsWith("bad release");
  }

  /** Only a cancel signed by a known gateway key is trusted, unless unsigned tasks are allowed (dev, no keys). */
  @Test
  void trustsOnlySignedCancels() {
    assertThat(verifier(false, current).cancelTrusted(current.cancel("t1"))).isTrue();
    assertThat(verifier(false, current).cancelTrusted(new io.fleetcast.protocol.NodeMessage.Cancel("t1"))).isFalse();
    assertThat(verifier(false, current).cancelTrusted(previous.cancel("t1"))).isFalse();
    assertThat(verifier(true).cancelTrusted(new io.fleetcast.protocol.NodeMessage.Cancel("t1"))).isTrue();
  }

  /** Unsigned tasks run only in dev mode and only while no key is known. */
  @Test
  void devModeWithoutKeysOnly() {
    assertThat(verifier(true).rejectionReason(task("t"))).isNull();
    assertThat(verifier(false).rejectionReason(task("t"))).contains("no signing key");
    assertThat(verifier(true, current).rejectionReason(task("t"))).contains("not signed");
  }

  /** A passed deadline is rejected even with a valid signature. */
  @Test
  void rejectsPassedDeadline() {
    Task expired = current.sign(new Task("t", "r", 0, "exec", TestKeys.exec("echo"), Instant.now().minusSeconds(1),
        null, false, new JsonObject().put("all", true), null, null));
    assertThat(verifier(false, current).rejectionReason(expired)).startsWith("deadline passed");
  }

  /**
   * Tags the gateway assigned count in the scope check; a task lacking only tags is flagged for a
   * lookup, one also lacking a subnet or past its deadline is not.
   */
  @Test
  void assignedTagsCountAndOnlyMissingTagsAskForALookup() {
    SigningKeys sk = new SigningKeys();
    java.util.Set<String> assigned = new java.util.HashSet<>();
    TaskVerifier v = new TaskVerifier(sk, true, "a1", () -> facts, () -> assigned, Clock.systemUTC());
    Task tagged = TestKeys.task("t1", "exec", TestKeys.exec("echo"), new JsonObject().put("tags", List.of("lab", "b")));
    Task elsewhere = TestKeys.task("t2", "exec", TestKeys.exec("echo"), new JsonObject().put("tags", List.of("b"))
        .put("subnets", List.of("10.99.0.0/16")));
    assertThat(v.validityProblem(tagged)).isEqualTo("not in scope: agent lacks tags [b]");
    assertThat(v.onlyTagsMissing(tagged)).isTrue();
    assertThat(v.onlyTagsMissing(elsewhere)).isFalse();
    assigned.add("b");
    assertThat(v.validityProblem(tagged)).isNull();
    assertThat(v.onlyTagsMissing(tagged)).as("in scope now").isFalse();
    Task late = new Task("t3", tagged.rolloutId(), 0, "exec", tagged.spec(), Instant.now().minusSeconds(1), null,
        false, new JsonObject().put("tags", List.of("c")), null, null);
    assertThat(v.onlyTagsMissing(late)).as("past its deadline").isFalse();
  }
}
