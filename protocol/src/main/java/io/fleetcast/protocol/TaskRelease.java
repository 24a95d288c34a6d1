package io.fleetcast.protocol;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/**
 * The gateway's short-lived permission to start a signed task now: Ed25519 over the task id, a
 * per-dispatch nonce and {@code notAfter}. The gateway signs one release per dispatch message
 * (not per agent) at the moment it releases the task to agents, and never after a halt, pause,
 * cancel or expiry; an agent refuses a task whose release is missing, forged or past. A node can
 * therefore replay a genuine task only while a genuine release of it is fresh, not until the
 * task's deadline.
 *
 * <p>Signed bytes: {@code fleetcast-release-v1}, task id, nonce, notAfter, each on its own line.
 */
public record TaskRelease(String nonce, Instant notAfter, String keyId, String signature) {

  static byte[] payload(String taskId, String nonce, Instant notAfter) {
    return ("fleetcast-release-v1\n" + taskId + "\n" + nonce + "\n" + notAfter).getBytes(StandardCharsets.UTF_8);
  }

  public static TaskRelease sign(String taskId, String nonce, Instant notAfter, String keyId, PrivateKey key) {
    return new TaskRelease(nonce, notAfter, keyId, Ed25519.sign(payload(taskId, nonce, notAfter), key));
  }

  /** Whether this release was signed by {@code key} for {@code taskId}. */
  public boolean verify(String taskId, PublicKey key) {
    return nonce != null && notAfter != null && Ed25519.verify(payload(taskId, nonce, notAfter), signature, key);
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("nonce", nonce).put("notAfter", notAfter.toString());
    if (keyId != null) {
      j.put("keyId", keyId);
    }
    return j.put("signature", signature);
  }

  /** Decodes a {@code release} object; a missing or malformed field is a protocol error. */
  public static TaskRelease fromJson(JsonObject json) {
    Fields f = new Fields(json, "task.release");
    return new TaskRelease(f.id("nonce"), f.instant("notAfter"), f.optString("keyId", null), f.string("signature"));
  }

  /** Ed25519 over bytes, base64 signatures: shared by task releases and signed cancels. */
  static final class Ed25519 {
    private Ed25519() {}

    static String sign(byte[] payload, PrivateKey key) {
      try {
        Signature sig = Signature.getInstance(TaskSignature.ALGORITHM);
        sig.initSign(key);
        sig.update(payload);
        return Base64.getEncoder().encodeToString(sig.sign());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot sign", e);
      }
    }

    static boolean verify(byte[] payload, String signature, PublicKey key) {
      if (signature == null) {
        return false;
      }
      try {
        Signature sig = Signature.getInstance(TaskSignature.ALGORITHM);
        sig.initVerify(key);
        sig.update(payload);
        return sig.verify(Base64.getDecoder().decode(signature));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        return false;
      }
    }
  }
}
