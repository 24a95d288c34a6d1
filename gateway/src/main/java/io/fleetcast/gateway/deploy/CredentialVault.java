package io.fleetcast.gateway.deploy;

import io.fleetcast.common.security.SecretFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts deployment credentials at rest with AES-256-GCM under a key kept in the data dir
 * ({@code deploy-credentials.key}, mode 0600, created on first use). The job id is the
 * associated data, so a ciphertext copied onto another job does not decrypt. Every gateway of a
 * cluster that runs deployments needs the same key file.
 */
public final class CredentialVault {
  public static final String KEY_FILE = "deploy-credentials.key";
  private static final int NONCE = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private CredentialVault(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** Loads the key from {@code file}, creating a random one first if it does not exist. Blocking. */
  public static CredentialVault loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        SecretFiles.create(file, Base64.getEncoder().encodeToString(k) + "\n");
      }
      byte[] k = Base64.getDecoder().decode(Files.readString(file).trim());
      if (k.length != 32) {
        throw new IllegalStateException(file + " does not hold a 256-bit key");
      }
      return new CredentialVault(k);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the credential key " + file, e);
    }
  }

  public String seal(SshCredentials creds, String jobId) {
    try {
      byte[] nonce = new byte[NONCE];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(jobId.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(creds.toJson().encode().getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt credentials", e);
    }
  }

  public SshCredentials open(String sealed, String jobId) {
    try {
      byte[] all = Base64.getDecoder().decode(sealed);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE));
      c.updateAAD(jobId.getBytes(StandardCharsets.UTF_8));
      byte[] pt = c.doFinal(all, NONCE, all.length - NONCE);
      return SshCredentials.fromJson(new JsonObject(new String(pt, StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot decrypt the credentials of job " + jobId
          + " (a different " + KEY_FILE + "?)", e);
    }
  }
}
