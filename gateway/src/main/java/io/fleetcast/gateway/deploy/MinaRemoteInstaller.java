package io.fleetcast.gateway.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * {@link RemoteInstaller} over Apache MINA SSHD: resolve, connect, authenticate (password or
 * key) against a pinned host key, run the prerequisite checks, copy the jar and the token
 * file by SFTP, register and start the service. One shared, started {@link SshClient}.
 */
public final class MinaRemoteInstaller implements RemoteInstaller, AutoCloseable {
  private static final int TAIL = 2048;

  private final SshClient client;
  private final PinnedHostKeys hostKeys;

  public MinaRemoteInstaller(PinnedHostKeys hostKeys) {
    this.hostKeys = hostKeys;
    this.client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(hostKeys);
    client.start();
  }

  @Override
  public void install(Request req, Consumer<InstallStep> onStep) {
    InstallStep step = InstallStep.RESOLVE;
    InstallPlan.Timeouts t = req.plan().timeouts();
    String address = req.host().address();
    int port = req.credentials().port();
    try {
      onStep.accept(step);
      InetAddress ip = InetAddress.getByName(address);
      step = InstallStep.CONNECT;
      onStep.accept(step);
      try (ClientSession session = client.connect(req.credentials().user(), new InetSocketAddress(ip, port))
          .verify(t.connect()).getClientSession()) {
        step = InstallStep.LOGON;
        onStep.accept(step);
        logon(session, req.credentials(), t.connect(), address, port);
        InstallCommands commands = InstallCommands.of(req.plan());
        step = InstallStep.PREREQUISITES;
        onStep.accept(step);
        for (InstallCommands.Check c : commands.prerequisites()) {
          Exec r = exec(session, c.command(), t.command());
          if (r.exitCode() != 0) {
            throw new DeployStepException(new DeployFailure(c.error(), c.detail() + " (check '" + c.name()
                + "' exited " + r.exitCode() + ")", null, r.output()));
          }
        }
        step = InstallStep.COPY;
        onStep.accept(step);
        copy(session, req, commands, t.copy());
        step = InstallStep.INSTALL_SERVICE;
        onStep.accept(step);
        run(session, "service registration", commands.installService(), t.command());
        step = InstallStep.START;
        onStep.accept(step);
        run(session, "service start", commands.start(), t.command());
      }
    } catch (DeployStepException e) {
      throw e;
    } catch (Exception e) {
      if (step == InstallStep.LOGON && hostKeys.mismatched(address, port)) {
        throw DeployStepException.of(DeployError.HOST_KEY_MISMATCH, "the key of " + address + ":" + port
            + " is not the one pinned at the first connection (" + hostKeys.fingerprint(address, port) + ")");
      }
      throw new DeployStepException(ErrorClassifier.classify(step, e));
    }
  }

  private void logon(ClientSession session, SshCredentials c, Duration timeout, String address, int port)
      throws IOException, GeneralSecurityException {
    if (c.privateKey() != null) {
      FilePasswordProvider pw = c.passphrase() == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(c.passphrase());
      try (InputStream in = new ByteArrayInputStream(c.privateKey().getBytes(StandardCharsets.UTF_8))) {
        Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(session,
            new PathResource(java.nio.file.Path.of("job-key")), in, pw);
        if (keys == null) {
          throw DeployStepException.of(DeployError.LOGON_FAILURE, "the private key of the job could not be read");
        }
        keys.forEach(session::addPublicKeyIdentity);
      }
    }
    if (c.password() != null) {
      session.addPasswordIdentity(c.password());
    }
    session.auth().verify(timeout);
  }

  private void copy(ClientSession session, Request req, InstallCommands commands, Duration timeout) throws IOException {
    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
      try (OutputStream out = sftp.write(commands.jarPath())) {
        Files.copy(req.agentJar(), out);
      }
      try (OutputStream out = sftp.write(commands.envPath())) {
        out.write(commands.envFile(req.enrollmentToken()).getBytes(StandardCharsets.UTF_8));
      }
      SftpClient.Attributes mode = new SftpClient.Attributes().perms(0600);
      sftp.setStat(commands.envPath(), mode);
    }
  }

  private void run(ClientSession session, String what, String command, Duration timeout) throws IOException {
    Exec r = exec(session, command, timeout);
    if (r.exitCode() != 0) {
      throw new DeployStepException(ErrorClassifier.installerExit(what, r.exitCode(), r.output()));
    }
  }

  record Exec(int exitCode, String output) {}

  private Exec exec(ClientSession session, String command, Duration timeout) throws IOException {
    TailBuffer out = new TailBuffer(TAIL);
    try (ChannelExec ch = session.createExecChannel(command)) {
      ch.setOut(out);
      ch.setErr(out);
      ch.open().verify(timeout);
      Set<ClientChannelEvent> ev = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
      if (ev.contains(ClientChannelEvent.TIMEOUT)) {
        throw new java.io.InterruptedIOException("command timed out after " + timeout.toSeconds() + " s");
      }
      Integer code = ch.getExitStatus();
      return new Exec(code == null ? -1 : code, out.text());
    }
  }

  @Override
  public void close() throws IOException {
    client.stop();
  }

  /** Keeps the last {@code max} bytes written (the output tail of a command). */
  static final class TailBuffer extends OutputStream {
    private final byte[] buf;
    private long written;

    TailBuffer(int max) {
      buf = new byte[max];
    }

    @Override
    public synchronized void write(int b) {
      buf[(int) (written++ % buf.length)] = (byte) b;
    }

    synchronized String text() {
      int n = (int) Math.min(written, buf.length);
      byte[] out = new byte[n];
      int start = (int) (written <= buf.length ? 0 : written % buf.length);
      for (int i = 0; i < n; i++) {
        out[i] = buf[(start + i) % buf.length];
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }
}
