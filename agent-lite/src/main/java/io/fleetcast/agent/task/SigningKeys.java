package io.fleetcast.agent.task;

import io.fleetcast.agent.enroll.SigningKey;
import io.fleetcast.protocol.NodeMessage;
import io.fleetcast.protocol.TaskSignature;
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
        LOG.warning("event=signing.key.invalid keyId=" + k.keyId());
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
}
