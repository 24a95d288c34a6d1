package io.fleetcast.protocol;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 signatures over a task: taskId, rolloutId, step, kind, spec, deadline, notBefore,
 * requireConsent and the target scope. The gateway signs; agents verify with the public key
 * they received at enrollment. Nodes relay tasks but cannot forge or alter one.
 *
 * <p>The signed bytes are {@code fleetcast-task-v1} followed by each field on its own line,
 * JSON values in {@link CanonicalJson} form.
 */
public final class TaskSignature {
  public static final String ALGORITHM = "Ed25519";

  private TaskSignature() {}

  public static byte[] payload(NodeMessage.Task t) {
    String s = "fleetcast-task-v1\n"
        + t.taskId() + "\n"
        + t.rolloutId() + "\n"
        + t.step() + "\n"
        + t.kind() + "\n"
        + CanonicalJson.encode(t.spec() == null ? new JsonObject() : t.spec()) + "\n"
        + t.deadline() + "\n"
        + (t.notBefore() == null ? "" : t.notBefore().toString()) + "\n"
        + t.requireConsent() + "\n"
        + CanonicalJson.encode(t.scope() == null ? new JsonObject() : t.scope());
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static String sign(NodeMessage.Task t, PrivateKey key) {
    try {
      Signature sig = Signature.getInstance(ALGORITHM);
      sig.initSign(key);
      sig.update(payload(t));
      return Base64.getEncoder().encodeToString(sig.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign task", e);
    }
  }

  public static boolean verify(NodeMessage.Task t, PublicKey key) {
    if (t.signature() == null) {
      return false;
    }
    try {
      Signature sig = Signature.getInstance(ALGORITHM);
      sig.initVerify(key);
      sig.update(payload(t));
      return sig.verify(Base64.getDecoder().decode(t.signature()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Decodes a base64 X.509 (SubjectPublicKeyInfo) Ed25519 public key, as handed out at enrollment. */
  public static PublicKey publicKey(String base64) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  public static PrivateKey privateKey(String base64) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an Ed25519 private key", e);
    }
  }

  public static String encode(java.security.Key key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }
}
