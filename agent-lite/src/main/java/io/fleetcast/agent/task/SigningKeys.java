package io.fleetcast.agent.task;

import io.fleetcast.agent.enroll.SigningKey;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.TaskRelease;
import io.fleetcast.protocol.TaskSignature;
import io.fleetcast.protocol.log.Kv;
import java.security.PublicKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The gateway keys whose signatures the agent accepts. A task naming a known {@code keyId} is
 * checked with that key; otherwise every known key is tried, so a rotation (new key added
 * before the old one is dropped) never rejects a valid task. Replaced as a whole on bootstrap.
 */
public final class SigningKeys {
  private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());

  private volatile Map<String, PublicKey> keys = Map.of();

  public void replace(Collection<SigningKey> newKeys) {
    Map<String, PublicKey> m = new LinkedHashMap<>();
    int i = 0;
    for (SigningKey k : newKeys) {
      try {
        m.put(k.keyId() == null || k.keyId().isEmpty() ? "#" + i : k.keyId(), TaskSignature.publicKey(k.publicKey()));
      } catch (IllegalArgumentException e) {
        LOG.warning(Kv.event("signing.key.invalid").kv("keyId", k.keyId()).toString());
      }
      i++;
    }
    keys = Map.copyOf(m);
  }

  /** Every known key (peer-cache tokens are checked against them). */
  public Collection<PublicKey> all() {
    return keys.values();
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  public int size() {
    return keys.size();
  }

  /** Whether {@code task}'s release was signed by a known key for this task id. */
  public boolean verifyRelease(NodeMessage.Task task) {
    TaskRelease r = task.release();
    return r != null && anyKey(r.keyId(), k -> r.verify(task.taskId(), k));
  }

  /** Whether {@code cancel} was signed by a known key. */
  public boolean verifyCancel(NodeMessage.Cancel cancel) {
    return cancel.signature() != null && anyKey(cancel.keyId(), cancel::verify);
  }

  private boolean anyKey(String keyId, java.util.function.Predicate<PublicKey> check) {
    Map<String, PublicKey> current = keys;
    PublicKey named = keyId == null ? null : current.get(keyId);
    if (named != null && check.test(named)) {
      return true;
    }
    for (PublicKey k : current.values()) {
      if (k != named && check.test(k)) {
        return true;
      }
    }
    return false;
  }

  public boolean verify(NodeMessage.Task task) {
    Map<String, PublicKey> current = keys;
    if (task.signature() == null) {
      return false;
    }
    PublicKey named = task.keyId() == null ? null : current.get(task.keyId());
    if (named != null && TaskSignature.verify(task, named)) {
      return true;
    }
    for (PublicKey k : current.values()) {
      if (k != named && TaskSignature.verify(task, k)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code signature} is a valid release signature of (version, sha256) by a known key ({@code keyId} first). */
  public boolean verifyRelease(String keyId, String version, String sha256, String signature) {
    Map<String, PublicKey> current = keys;
    PublicKey named = keyId == null ? null : current.get(keyId);
    if (named != null && io.fleetcast.protocol.ReleaseSignature.verify(version, sha256, signature, named)) {
      return true;
    }
    for (PublicKey k : current.values()) {
      if (k != named && io.fleetcast.protocol.ReleaseSignature.verify(version, sha256, signature, k)) {
        return true;
      }
    }
    return false;
  }
}
