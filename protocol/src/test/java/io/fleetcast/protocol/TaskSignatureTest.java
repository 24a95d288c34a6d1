package io.fleetcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Ed25519 task signatures: what they cover and what breaks them. */
@Timeout(10)
class TaskSignatureTest {
  private static KeyPair keys;
  private static KeyPair otherKeys;

  @BeforeAll
  static void keys() throws Exception {
    keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    otherKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  private static NodeMessage.Task task() {
    return new NodeMessage.Task("9a1f0e4c-1b2d-4c3e-8f70-112233445566", "0f0e0d0c-0b0a-4909-8807-060504030201", 1, "exec",
        new JsonObject().put("command", "apply-patch").put("args", new JsonArray().add("--now")).put("timeoutSeconds", 300),
        Instant.parse("2026-06-01T12:00:00Z"), Instant.parse("2026-06-01T08:00:00Z"), false,
        new JsonObject().put("tags", new JsonArray().add("branch-office")), "key-1", null);
  }

  private static NodeMessage.Task signed() {
    NodeMessage.Task t = task();
    return t.withSignature("key-1", TaskSignature.sign(t, keys.getPrivate()));
  }

  private static NodeMessage.Task copy(NodeMessage.Task t, String taskId, String rolloutId, int step, String kind,
      JsonObject spec, Instant deadline, Instant notBefore, boolean consent, JsonObject scope) {
    return new NodeMessage.Task(taskId, rolloutId, step, kind, spec, deadline, notBefore, consent, scope, t.keyId(),
        t.signature());
  }

  static Stream<Arguments> tamperings() {
    return Stream.of(
        Arguments.of("taskId", (UnaryOperator<NodeMessage.Task>) t -> copy(t, "9a1f0e4c-1b2d-4c3e-8f70-112233445567",
            t.rolloutId(), t.step(), t.kind(), t.spec(), t.deadline(), t.notBefore(), t.requireConsent(), t.scope())),
        Arguments.of("rolloutId", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(),
            "0f0e0d0c-0b0a-4909-8807-060504030202", t.step(), t.kind(), t.spec(), t.deadline(), t.notBefore(),
            t.requireConsent(), t.scope())),
        Arguments.of("step", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(), 0, t.kind(),
            t.spec(), t.deadline(), t.notBefore(), t.requireConsent(), t.scope())),
        Arguments.of("kind", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(), t.step(), "install",
            t.spec(), t.deadline(), t.notBefore(), t.requireConsent(), t.scope())),
        Arguments.of("spec value", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(), t.step(),
            t.kind(), t.spec().copy().put("command", "rm -rf /"), t.deadline(), t.notBefore(), t.requireConsent(),
            t.scope())),
        Arguments.of("spec added field", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(),
            t.step(), t.kind(), t.spec().copy().put("shell", true), t.deadline(), t.notBefore(), t.requireConsent(),
            t.scope())),
        Arguments.of("spec array", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(), t.step(),
            t.kind(), t.spec().copy().put("args", new JsonArray().add("--now").add("--force")), t.deadline(),
            t.notBefore(), t.requireConsent(), t.scope())),
        Arguments.of("spec emptied", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(), t.step(),
            t.kind(), null, t.deadline(), t.notBefore(), t.requireConsent(), t.scope())),
        Arguments.of("deadline", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(), t.step(),
            t.kind(), t.spec(), t.deadline().plusSeconds(1), t.notBefore(), t.requireConsent(), t.scope())),
        Arguments.of("notBefore changed", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(),
            t.step(), t.kind(), t.spec(), t.deadline(), t.notBefore().minusSeconds(3600), t.requireConsent(), t.scope())),
        Arguments.of("notBefore removed", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(),
            t.step(), t.kind(), t.spec(), t.deadline(), null, t.requireConsent(), t.scope())),
        Arguments.of("requireConsent", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(),
            t.step(), t.kind(), t.spec(), t.deadline(), t.notBefore(), true, t.scope())),
        Arguments.of("scope widened", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(),
            t.step(), t.kind(), t.spec(), t.deadline(), t.notBefore(), t.requireConsent(),
            new JsonObject().put("all", true))),
        Arguments.of("scope removed", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(),
            t.step(), t.kind(), t.spec(), t.deadline(), t.notBefore(), t.requireConsent(), null)),
        Arguments.of("scope tag", (UnaryOperator<NodeMessage.Task>) t -> copy(t, t.taskId(), t.rolloutId(),
            t.step(), t.kind(), t.spec(), t.deadline(), t.notBefore(), t.requireConsent(),
            new JsonObject().put("tags", new JsonArray().add("head-office")))));
  }

  /** A correctly signed task verifies with the signer's public key, also after crossing the wire. */
  @Test
  void signedTaskVerifies() {
    // GIVEN a signed task
    NodeMessage.Task t = signed();

    // WHEN it is verified directly and after encode/decode
    NodeMessage.Task overWire = (NodeMessage.Task) NodeMessage.decode(t.encode());

    // THEN both verify
    assertThat(TaskSignature.verify(t, keys.getPublic())).isTrue();
    assertThat(TaskSignature.verify(overWire, keys.getPublic())).isTrue();
  }

  /** Re-encoding the spec (key order, 300 vs 300.0) does not break the signature. */
  @Test
  void reencodedSpecStillVerifies() {
    // GIVEN a signed task whose spec is re-serialised with other key order and a double-typed number
    NodeMessage.Task t = signed();
    JsonObject respec = new JsonObject().put("timeoutSeconds", 300.0).put("args", new JsonArray().add("--now"))
        .put("command", "apply-patch");
    NodeMessage.Task reencoded = copy(t, t.taskId(), t.rolloutId(), t.step(), t.kind(), respec, t.deadline(),
        t.notBefore(), t.requireConsent(), t.scope());

    // WHEN it is verified
    // THEN it still verifies
    assertThat(TaskSignature.verify(reencoded, keys.getPublic())).isTrue();
  }

  /** Changing any signed field makes verification fail. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("tamperings")
  void tamperingAnySignedFieldFails(String field, UnaryOperator<NodeMessage.Task> tamper) {
    // GIVEN a signed task
    NodeMessage.Task t = signed();

    // WHEN one signed field is changed, keeping the signature
    NodeMessage.Task forged = tamper.apply(t);

    // THEN the signature no longer verifies, also after crossing the wire
    assertThat(forged.signature()).isEqualTo(t.signature());
    assertThat(TaskSignature.verify(forged, keys.getPublic())).as(field).isFalse();
    assertThat(TaskSignature.verify((NodeMessage.Task) NodeMessage.decode(forged.encode()), keys.getPublic()))
        .as(field).isFalse();
  }

  /** A signature made with another key does not verify, and a correct one does not verify under another key. */
  @Test
  void wrongKeyFails() {
    // GIVEN a task signed with a key that is not the published one
    NodeMessage.Task t = task();
    NodeMessage.Task forged = t.withSignature("key-1", TaskSignature.sign(t, otherKeys.getPrivate()));

    // WHEN both tasks are verified
    // THEN neither verifies under the wrong key
    assertThat(TaskSignature.verify(forged, keys.getPublic())).isFalse();
    assertThat(TaskSignature.verify(signed(), otherKeys.getPublic())).isFalse();
  }

  /** A missing, malformed or random signature fails verification without throwing. */
  @ParameterizedTest
  @ValueSource(strings = {"", "not base64 !!", "AAAA", "====", "c2lnbmF0dXJl"})
  void garbageSignatureFails(String signature) {
    // GIVEN a task carrying a garbage signature
    NodeMessage.Task t = task().withSignature("key-1", signature);

    // WHEN it is verified
    // THEN verification fails quietly
    assertThat(TaskSignature.verify(t, keys.getPublic())).isFalse();
    assertThat(TaskSignature.verify(task(), keys.getPublic())).isFalse();
  }

  /** A random 64-byte value in the place of the signature fails, as does a signature with one bit flipped. */
  @Test
  void randomOrFlippedSignatureFails() {
    // GIVEN a correct signature, a copy with one bit flipped and 64 random bytes
    byte[] good = Base64.getDecoder().decode(signed().signature());
    byte[] flipped = good.clone();
    flipped[10] ^= 0x01;
    byte[] random = new byte[64];
    new java.security.SecureRandom().nextBytes(random);

    // WHEN each is verified
    // THEN only the correct one verifies
    assertThat(TaskSignature.verify(task().withSignature("k", Base64.getEncoder().encodeToString(good)), keys.getPublic()))
        .isTrue();
    assertThat(TaskSignature.verify(task().withSignature("k", Base64.getEncoder().encodeToString(flipped)),
        keys.getPublic())).isFalse();
    assertThat(TaskSignature.verify(task().withSignature("k", Base64.getEncoder().encodeToString(random)),
        keys.getPublic())).isFalse();
  }

  /** Keys round-trip through their base64 form, and garbage is refused with IllegalArgumentException. */
  @Test
  void keyEncodingRoundTrips() {
    // GIVEN the encoded keys
    String pub = TaskSignature.encode(keys.getPublic());
    String priv = TaskSignature.encode(keys.getPrivate());

    // WHEN they are decoded and used
    NodeMessage.Task t = task();
    NodeMessage.Task s = t.withSignature("k", TaskSignature.sign(t, TaskSignature.privateKey(priv)));

    // THEN the decoded keys sign and verify, and garbage does not decode
    assertThat(TaskSignature.verify(s, TaskSignature.publicKey(pub))).isTrue();
    assertThatThrownBy(() -> TaskSignature.publicKey("garbage!")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TaskSignature.publicKey(Base64.getEncoder().encodeToString(new byte[44])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TaskSignature.privateKey(pub)).isInstanceOf(IllegalArgumentException.class);
  }
}
