package io.fleetcast.gateway.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.TaskSignature;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's task signing key: signatures agents can verify, and the key file's life cycle. */
@Timeout(20)
class TaskSignerTest {
  @TempDir
  Path dir;

  private static NodeMessage.Task task() {
    return new NodeMessage.Task("9a1f0e4c-1b2d-4c3e-8f70-112233445566", "0f0e0d0c-0b0a-4909-8807-060504030201", 0, "exec",
        new JsonObject().put("command", "apply-patch").put("args", new JsonArray().add("--now")),
        Instant.parse("2026-06-01T12:00:00Z"), null, false, new JsonObject().put("tags", new JsonArray().add("kiosk")),
        null, null);
  }

  private static PublicKey published(TaskSigner signer, int i) {
    return TaskSignature.publicKey(signer.publicKeys().get(i).publicKey());
  }

  /** A signed task carries the key id and verifies with the published public key, also after crossing the wire. */
  @Test
  void signedTaskVerifiesWithPublishedKey() {
    // GIVEN a signer
    TaskSigner signer = TaskSigner.ephemeral();

    // WHEN a task is signed
    NodeMessage.Task signed = signer.sign(task());

    // THEN it names the key and verifies with the published key, as an agent would check it
    assertThat(signed.keyId()).isEqualTo(signer.keyId()).hasSize(16);
    assertThat(signer.publicKeys()).hasSize(1);
    assertThat(signer.publicKeys().get(0).keyId()).isEqualTo(signer.keyId());
    assertThat(TaskSignature.verify(signed, published(signer, 0))).isTrue();
    assertThat(TaskSignature.verify((NodeMessage.Task) NodeMessage.decode(signed.encode()), published(signer, 0))).isTrue();
    assertThat(TaskSignature.verify(signed, published(TaskSigner.ephemeral(), 0))).isFalse();
    assertThat(signer.publicKeysJson().getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("keyId", "publicKey");
  }

  /** On first start the key is generated as a PEM file readable by its owner only; loading it again gives the same key. */
  @Test
  void generatesKeyFileOnceAndReloadsIt() throws Exception {
    // GIVEN no key file yet, in a directory that does not exist
    Path file = dir.resolve("data/signing-ed25519.pem");

    // WHEN the signer is loaded twice
    TaskSigner first = TaskSigner.load(file, true, null);
    String pem = Files.readString(file);
    TaskSigner second = TaskSigner.load(file, true, null);

    // THEN the file is a 0600 PKCS#8 PEM, unchanged by the second load, and both signers are the same key
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(file)).isEqualTo(pem);
    assertThat(second.keyId()).isEqualTo(first.keyId());
    assertThat(second.publicKeys()).isEqualTo(first.publicKeys());
    assertThat(TaskSignature.verify(second.sign(task()), published(first, 0))).isTrue();
    assertThat(TaskSignature.verify(first.sign(task()), published(second, 0))).isTrue();
  }

  /** A configured key file that does not exist is an error, not a silently generated key. */
  @Test
  void missingConfiguredKeyIsAnError() {
    // GIVEN a configured key path with no file
    Path file = dir.resolve("operator-key.pem");

    // WHEN it is loaded without permission to generate
    // THEN loading fails and nothing is created
    assertThatThrownBy(() -> TaskSigner.load(file, false, null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("operator-key.pem");
    assertThat(file).doesNotExist();
  }

  /** A garbage key file is refused with a message naming it. */
  @Test
  void garbageKeyFileIsRefused() throws Exception {
    // GIVEN a file that is not a PKCS#8 Ed25519 key
    Path file = dir.resolve("bad.pem");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

    // WHEN it is loaded
    // THEN it is refused
    assertThatThrownBy(() -> TaskSigner.load(file, true, null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bad.pem");
  }

  /** The next key is published after the current one but does not sign yet. */
  @Test
  void nextKeyIsPublishedNotUsed() {
    // GIVEN a current key and a next key being rolled in
    Path current = dir.resolve("current.pem");
    Path next = dir.resolve("next.pem");
    TaskSigner nextAlone = TaskSigner.load(next, true, null);
    TaskSigner.load(current, true, null);

    // WHEN the signer is loaded with both
    TaskSigner signer = TaskSigner.load(current, false, next);

    // THEN both public keys are published, the current first, and tasks are signed with the current one
    assertThat(signer.publicKeys()).hasSize(2);
    assertThat(signer.publicKeys().get(1).keyId()).isEqualTo(nextAlone.keyId()).isNotEqualTo(signer.keyId());
    NodeMessage.Task signed = signer.sign(task());
    assertThat(signed.keyId()).isEqualTo(signer.keyId());
    assertThat(TaskSignature.verify(signed, published(signer, 0))).isTrue();
    assertThat(TaskSignature.verify(signed, published(signer, 1))).isFalse();
    assertThat(TaskSignature.verify(nextAlone.sign(task()), published(signer, 1))).isTrue();
  }

  /**
   * Issue 11 #11: each release is fresh (its own nonce), lives for the given time only, and
   * verifies with the published key for its task; a cancel is signed by the same key.
   */
  @Test
  void releasesAndCancelsVerifyWithThePublishedKey() {
    TaskSigner signer = TaskSigner.ephemeral();
    String taskId = task().taskId();
    Instant before = Instant.now();
    io.fleetcast.protocol.TaskRelease a = signer.release(taskId, java.time.Duration.ofSeconds(120));
    io.fleetcast.protocol.TaskRelease b = signer.release(taskId, java.time.Duration.ofSeconds(120));
    assertThat(a.nonce()).isNotEqualTo(b.nonce());
    assertThat(a.notAfter()).isBetween(before.plusSeconds(120), Instant.now().plusSeconds(120));
    assertThat(a.keyId()).isEqualTo(signer.keyId());
    assertThat(a.verify(taskId, published(signer, 0))).isTrue();
    assertThat(a.verify("another-task", published(signer, 0))).isFalse();
    NodeMessage.Cancel c = signer.cancel(taskId);
    assertThat(c.keyId()).isEqualTo(signer.keyId());
    assertThat(((NodeMessage.Cancel) NodeMessage.decode(c.encode())).verify(published(signer, 0))).isTrue();
  }
}
