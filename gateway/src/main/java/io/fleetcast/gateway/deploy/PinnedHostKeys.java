package io.fleetcast.gateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import io.fleetcast.common.log.Kv;

/**
 * Trust on first use: the first key a host shows is pinned (file {@code deploy-known-hosts} in the
 * data dir, one {@code host:port fingerprint} per line); later connections must show the same
 * key, else the connection is refused and the host fails with {@code host_key_mismatch}.
 * {@code fleetctl deploy forget-key} is not needed: delete the line to accept a reinstalled host.
 */
public final class PinnedHostKeys implements ServerKeyVerifier {
  private static final Logger LOG = Logger.getLogger(PinnedHostKeys.class.getName());
  public static final String FILE = "deploy-known-hosts";

  private final Path file;
  private final Map<String, String> pinned = new LinkedHashMap<>();

  public PinnedHostKeys(Path file) {
    this.file = file;
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          String[] p = line.trim().split("\\s+");
          if (p.length == 2) {
            pinned.put(p[0], p[1]);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The key under which a host is pinned (the address the installer connects to, and the port). */
  public static String hostKey(String host, int port) {
    return host.toLowerCase() + ":" + port;
  }

  public synchronized String fingerprint(String host, int port) {
    return pinned.get(hostKey(host, port));
  }

  /** Whether the last refusal for this host was a mismatch (MINA only reports "did not validate"). */
  public synchronized boolean mismatched(String host, int port) {
    return mismatches.containsKey(hostKey(host, port));
  }

  private final Map<String, String> mismatches = new LinkedHashMap<>();

  @Override
  public synchronized boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
    String host = session.getConnectAddress() instanceof java.net.InetSocketAddress a ? a.getHostString()
        : String.valueOf(remote);
    int port = session.getConnectAddress() instanceof java.net.InetSocketAddress a ? a.getPort() : 22;
    String id = hostKey(host, port);
    String fp = KeyUtils.getFingerPrint(key);
    String known = pinned.get(id);
    if (known == null) {
      pinned.put(id, fp);
      mismatches.remove(id);
      try {
        Files.writeString(file, id + " " + fp + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
      LOG.info(Kv.event("deploy.host_key_pinned", "host", id, "fingerprint", fp));
      return true;
    }
    if (known.equals(fp)) {
      mismatches.remove(id);
      return true;
    }
    mismatches.put(id, fp);
    LOG.warning(Kv.event("deploy.host_key_mismatch", "host", id, "pinned", known, "presented", fp));
    return false;
  }
}
