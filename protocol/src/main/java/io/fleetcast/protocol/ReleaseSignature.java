package io.fleetcast.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Locale;

/**
 * The Ed25519 signature of an agent-lite release: over a domain-separated text of its version
 * and the SHA-256 of the jar, with the cluster's task-signing key. An agent installs a build
 * only if the hash of what it downloaded matches and the signature verifies with a key it got
 * at enrollment; a node, a mirror or a proxy cannot make it run another build.
 */
public final class ReleaseSignature {
  private ReleaseSignature() {}

  public static byte[] payload(String version, String sha256) {
    return ("fleetcast-agent-release-v1\n" + version + "\n" + sha256.toLowerCase(Locale.ROOT))
        .getBytes(StandardCharsets.UTF_8);
  }

  public static String sign(String version, String sha256, PrivateKey key) {
    try {
      Signature sig = Signature.getInstance(TaskSignature.ALGORITHM);
      sig.initSign(key);
      sig.update(payload(version, sha256));
      return Base64.getEncoder().encodeToString(sig.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign release", e);
    }
  }

  public static boolean verify(String version, String sha256, String signature, PublicKey key) {
    if (signature == null || version == null || sha256 == null) {
      return false;
    }
    try {
      Signature sig = Signature.getInstance(TaskSignature.ALGORITHM);
      sig.initVerify(key);
      sig.update(payload(version, sha256));
      return sig.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
