package io.fleetcast.gateway.rollout;

import io.fleetcast.common.log.Kv;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.TaskRelease;
import io.fleetcast.protocol.TaskSignature;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Logger;

/**
 * Signs every task with the gateway's Ed25519 key (nodes never hold it), and at each dispatch a
 * short-lived release of it; signs cancels. Agents get the public keys at enrollment and
 * bootstrap; a key being rolled in is published before it signs.
 */
public final class TaskSigner {
  private static final Logger LOG = Logger.getLogger(TaskSigner.class.getName());

  /** A public key as handed to agents. */
  public record PublicKeyInfo(String keyId, String publicKey) {
    public JsonObject toJson() {
      return new JsonObject().put("keyId", keyId).put("publicKey", publicKey);
    }
  }

  private final PrivateKey key;
  private final String keyId;
  private final List<PublicKeyInfo> published;

  TaskSigner(KeyPair current, PublicKey next) {
    this.key = current.getPrivate();
    this.keyId = keyId(current.getPublic());
    List<PublicKeyInfo> keys = new ArrayList<>();
    keys.add(new PublicKeyInfo(keyId, TaskSignature.encode(current.getPublic())));
    if (next != null) {
      keys.add(new PublicKeyInfo(keyId(next), TaskSignature.encode(next)));
    }
    this.published = List.copyOf(keys);
  }

  /** Loads the key (generating it on first start when it is the default file) and the optional next key. Blocking. */
  public static TaskSigner load(Path keyFile, boolean generateIfMissing, Path nextKeyFile) {
    try {
      if (!Files.exists(keyFile)) {
        if (!generateIfMissing) {
          throw new IllegalStateException("signing key file " + keyFile + " does not exist");
        }
        KeyPair pair = KeyPairGenerator.getInstance(TaskSignature.ALGORITHM).generateKeyPair();
        io.fleetcast.common.security.SecretFiles.create(keyFile, pem(pair.getPrivate()));
        LOG.info(Kv.event("signing.key_generated", "file", keyFile, "keyId", keyId(pair.getPublic())));
      }
      KeyPair current = readPair(keyFile);
      PublicKey next = nextKeyFile == null ? null : readPair(nextKeyFile).getPublic();
      return new TaskSigner(current, next);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load signing key " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /** A signer with a fresh key held only in memory: nothing is written, so agents trust it only if told its key. */
  public static TaskSigner ephemeral() {
    try {
      return new TaskSigner(KeyPairGenerator.getInstance(TaskSignature.ALGORITHM).generateKeyPair(), null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public NodeMessage.Task sign(NodeMessage.Task task) {
    NodeMessage.Task withKey = task.withSignature(keyId, null);
    return withKey.withSignature(keyId, TaskSignature.sign(withKey, key));
  }

  /**
   * A fresh release of a task: permission to start it now, valid for {@code ttl}. At most one per
   * task per second (an Ed25519 signature costs tens of microseconds; see {@link ReleasedFrames}),
   * never per agent.
   */
  public TaskRelease release(String taskId, Duration ttl) {
    return TaskRelease.sign(taskId, UUID.randomUUID().toString(), Instant.now().plus(ttl), keyId, key);
  }

  /** A signed cancel, so that only the gateway can pre-empt or stop a task. */
  public NodeMessage.Cancel cancel(String taskId) {
    return NodeMessage.Cancel.sign(taskId, Instant.now(), keyId, key);
  }

  /** Signs an agent-lite release (version and jar SHA-256) with the current key; see {@code ReleaseSignature}. */
  public String signRelease(String version, String sha256) {
    return io.fleetcast.protocol.ReleaseSignature.sign(version, sha256, key);
  }

  /** A grant to fetch one content blob from peers until {@code expiresAt} (software distribution). */
  public io.fleetcast.protocol.ContentToken contentToken(String sha256, java.time.Instant expiresAt) {
    return io.fleetcast.protocol.ContentToken.sign(sha256, expiresAt, key);
  }

  public List<PublicKeyInfo> publicKeys() {
    return published;
  }

  public JsonArray publicKeysJson() {
    JsonArray arr = new JsonArray();
    published.forEach(k -> arr.add(k.toJson()));
    return arr;
  }

  public String keyId() {
    return keyId;
  }

  static String keyId(PublicKey k) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(k.getEncoded());
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(PrivateKey k) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
  }

  static KeyPair readPair(Path file) throws IOException, GeneralSecurityException {
    String text = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    KeyFactory kf = KeyFactory.getInstance(TaskSignature.ALGORITHM);
    PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
    return new KeyPair(publicOf((EdECPrivateKey) priv), priv);
  }

  /** Ed25519 public key from the private key: sign nothing, derive via the JDK's key pair generator seeded by it. */
  private static PublicKey publicOf(EdECPrivateKey priv) throws GeneralSecurityException {
    byte[] seed = priv.getBytes().orElseThrow(() -> new GeneralSecurityException("private key without bytes"));
    KeyPairGenerator g = KeyPairGenerator.getInstance(TaskSignature.ALGORITHM);
    g.initialize(new java.security.spec.NamedParameterSpec(TaskSignature.ALGORITHM), new FixedRandom(seed));
    return g.generateKeyPair().getPublic();
  }

  /** A SecureRandom that yields the given seed: Ed25519 key generation draws exactly the 32-byte private key. */
  private static final class FixedRandom extends java.security.SecureRandom {
    private final byte[] seed;

    FixedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
    }
  }
}
