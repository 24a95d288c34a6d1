package io.fleetcast.gateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SSH server (Apache MINA SSHD) on 127.0.0.1 for deployment tests: password logon for
 * the given users, exec channels run by a real {@code /bin/sh -c}, SFTP on the real file
 * system (tests install into temporary roots). The user {@code restricted} runs its commands as
 * the unprivileged uid 65534 when the tests run as root, like an account without rights on the
 * install directory. The host key can be replaced while running (a "reinstalled" host).
 */
public final class TestSshServer implements AutoCloseable {
  public static final String RESTRICTED = "restricted";
  private final SshServer server;
  private volatile KeyPair hostKey;
  private final java.util.Set<java.security.PublicKey> authorizedKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private TestSshServer(Map<String, String> users) throws IOException {
    hostKey = newKey();
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(session -> List.of(hostKey));
    server.setPasswordAuthenticator((user, password, session) -> password.equals(users.get(user)));
    server.setPublickeyAuthenticator((user, key, session) -> users.containsKey(user)
        && authorizedKeys.stream().anyMatch(k -> org.apache.sshd.common.config.keys.KeyUtils.compareKeys(k, key)));
    // ProcessShellFactory runs its raw command with /bin/sh -c (it ignores the element list)
    server.setCommandFactory((channel, command) -> {
      String effective = command;
      if (RESTRICTED.equals(channel.getSession().getUsername()) && "root".equals(System.getProperty("user.name"))) {
        effective = "exec setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sh -c '"
            + command.replace("'", "'\\''") + "'";
      }
      return new ProcessShellFactory(effective, "/bin/sh", "-c", effective).createShell(channel);
    });
    server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    server.start();
  }

  public static TestSshServer start(Map<String, String> users) {
    try {
      return new TestSshServer(users);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** Lets every known user log on with this key too. */
  public void authorize(java.security.PublicKey key) {
    authorizedKeys.add(key);
  }

  /** New connections see a different host key from now on. */
  public void changeHostKey() {
    hostKey = newKey();
  }

  private static KeyPair newKey() {
    try {
      return ecKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ecKey() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
