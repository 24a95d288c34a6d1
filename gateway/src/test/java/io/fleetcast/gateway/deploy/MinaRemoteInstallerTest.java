package io.fleetcast.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real MINA installer against a real MINA SSH server on 127.0.0.1: a successful install into
 * a temporary root, and each error type of the table produced for real.
 */
@Timeout(180)
class MinaRemoteInstallerTest {
  static TestSshServer ssh;
  static Path jar;
  @TempDir static Path data;

  @BeforeAll
  static void start() throws IOException {
    ssh = TestSshServer.start(Map.of("deployer", "right", TestSshServer.RESTRICTED, "right"));
    jar = Files.writeString(data.resolve("agent.jar"), "not really a jar, the bytes are what is checked");
  }

  @AfterAll
  static void stop() throws IOException {
    ssh.close();
  }

  static InstallPlan plan(Path root, String java, String serviceCommand) {
    return new InstallPlan(InstallPlan.TargetOs.LINUX, root.toString(), java, serviceCommand, "http://127.0.0.1:1",
        List.of("--dev"), new InstallPlan.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(5)));
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  DeployFailure fail(MinaRemoteInstaller installer, String address, int port, String user, String password,
      InstallPlan plan) {
    var req = new RemoteInstaller.Request(new DiscoveredHost("host-1", address.matches("[0-9.]+") ? address : null,
        "list"), new SshCredentials(user, password, null, null, port), plan, jar, "fce_token");
    if (!address.matches("[0-9.]+")) {
      req = new RemoteInstaller.Request(new DiscoveredHost(address, null, "list"), req.credentials(), plan, jar,
          "fce_token");
    }
    RemoteInstaller.Request r = req;
    try {
      installer.install(r, s -> {});
    } catch (DeployStepException e) {
      return e.failure();
    }
    throw new AssertionError("the install did not fail");
  }

  /** Success: every step runs in order, jar and token file land in the root (token file 0600), the service command runs. */
  @Test
  void installs(@TempDir Path root) throws Exception {
    try (MinaRemoteInstaller installer = new MinaRemoteInstaller(new PinnedHostKeys(root.resolve("known")))) {
      List<InstallStep> steps = new ArrayList<>();
      Path dir = root.resolve("opt/agent");
      installer.install(new RemoteInstaller.Request(new DiscoveredHost("h", "127.0.0.1", "csv"),
          new SshCredentials("deployer", "right", null, null, ssh.port()),
          plan(dir, java(), "echo started {args} > started.txt"), jar, "fce_abc"), steps::add);
      assertThat(steps).containsExactly(InstallStep.RESOLVE, InstallStep.CONNECT, InstallStep.LOGON,
          InstallStep.PREREQUISITES, InstallStep.COPY, InstallStep.INSTALL_SERVICE, InstallStep.START);
      assertThat(Files.readString(dir.resolve("fleetcast-agent-lite.jar"))).isEqualTo(Files.readString(jar));
      assertThat(Files.readString(dir.resolve("agent.env"))).isEqualTo("FLEETCAST_ENROLL_TOKEN=fce_abc\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("agent.env"))))
          .isEqualTo("rw-------");
      assertThat(Files.readString(dir.resolve("started.txt"))).contains("--gateway http://127.0.0.1:1 --state-dir");
    }
  }

  /** Logon with a private key (PKCS#8 PEM, no password in the job); a key the server does not know is logon_failure. */
  @Test
  void privateKeyLogon(@TempDir Path root) throws Exception {
    // RSA: its PKCS#8 form carries the public half (the JDK's EC PKCS#8 does not, and SSH needs it)
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    java.security.KeyPair key = g.generateKeyPair();
    java.security.KeyPair stranger = g.generateKeyPair();
    ssh.authorize(key.getPublic());
    try (MinaRemoteInstaller installer = new MinaRemoteInstaller(new PinnedHostKeys(root.resolve("known")))) {
      Path dir = root.resolve("k");
      installer.install(new RemoteInstaller.Request(new DiscoveredHost("h", "127.0.0.1", "list"),
          new SshCredentials("deployer", null, pem(key), null, ssh.port()), plan(dir, java(), "true"), jar, "t"), s -> {});
      assertThat(dir.resolve("fleetcast-agent-lite.jar")).exists();
      DeployFailure f;
      try {
        installer.install(new RemoteInstaller.Request(new DiscoveredHost("h", "127.0.0.1", "list"),
            new SshCredentials("deployer", null, pem(stranger), null, ssh.port()), plan(dir, java(), "true"), jar, "t"),
            s -> {});
        throw new AssertionError("a stranger's key logged on");
      } catch (DeployStepException e) {
        f = e.failure();
      }
      assertThat(f.type()).isEqualTo(DeployError.LOGON_FAILURE);
    }
  }

  static String pem(java.security.KeyPair k) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** A .invalid name never resolves: dns_resolution_failure. */
  @Test
  void unresolvable(@TempDir Path root) throws Exception {
    try (MinaRemoteInstaller installer = new MinaRemoteInstaller(new PinnedHostKeys(root.resolve("known")))) {
      assertThat(fail(installer, "no-such-host.invalid", 22, "deployer", "right", plan(root, java(), "true")).type())
          .isEqualTo(DeployError.DNS_RESOLUTION_FAILURE);
    }
  }

  /** A closed port on 127.0.0.1: connection_refused. */
  @Test
  void closedPort(@TempDir Path root) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (MinaRemoteInstaller installer = new MinaRemoteInstaller(new PinnedHostKeys(root.resolve("known")))) {
      assertThat(fail(installer, "127.0.0.1", port, "deployer", "right", plan(root, java(), "true")).type())
          .isEqualTo(DeployError.CONNECTION_REFUSED);
    }
  }

  /** A listener that accepts TCP and never speaks SSH: connection_timeout. */
  @Test
  void silentHost(@TempDir Path root) throws Exception {
    try (SilentListener silent = new SilentListener();
        MinaRemoteInstaller installer = new MinaRemoteInstaller(new PinnedHostKeys(root.resolve("known")))) {
      assertThat(fail(installer, "127.0.0.1", silent.port(), "deployer", "right", plan(root, java(), "true")).type())
          .isEqualTo(DeployError.CONNECTION_TIMEOUT);
    }
  }

  /** A wrong password: logon_failure. */
  @Test
  void wrongPassword(@TempDir Path root) throws Exception {
    try (MinaRemoteInstaller installer = new MinaRemoteInstaller(new PinnedHostKeys(root.resolve("known")))) {
      assertThat(fail(installer, "127.0.0.1", ssh.port(), "deployer", "wrong", plan(root, java(), "true")).type())
          .isEqualTo(DeployError.LOGON_FAILURE);
    }
  }

  /** The key pinned at the first connection changes: host_key_mismatch, and nothing runs. */
  @Test
  void changedHostKey(@TempDir Path root) throws Exception {
    try (TestSshServer other = TestSshServer.start(Map.of("deployer", "right"));
        MinaRemoteInstaller installer = new MinaRemoteInstaller(new PinnedHostKeys(root.resolve("known")))) {
      Path dir = root.resolve("a");
      installer.install(new RemoteInstaller.Request(new DiscoveredHost("h", "127.0.0.1", "csv"),
          new SshCredentials("deployer", "right", null, null, other.port()), plan(dir, java(), "true"), jar, "t"), s -> {});
      assertThat(Files.readString(root.resolve("known"))).contains("127.0.0.1:" + other.port() + " SHA256:");
      other.changeHostKey();
      Path again = root.resolve("b");
      assertThat(fail(installer, "127.0.0.1", other.port(), "deployer", "right", plan(again, java(), "true")).type())
          .isEqualTo(DeployError.HOST_KEY_MISMATCH);
      assertThat(again).doesNotExist();
    }
  }

  /** An install directory the account cannot write: file_access_failure. */
  @Test
  void readOnlyDirectory(@TempDir Path root) throws Exception {
    Path dir = Files.createDirectories(root.resolve("ro"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    try (MinaRemoteInstaller installer = new MinaRemoteInstaller(new PinnedHostKeys(data.resolve("known-ro")))) {
      DeployFailure f = fail(installer, "127.0.0.1", ssh.port(), TestSshServer.RESTRICTED, "right",
          plan(dir, "/bin/true", "true"));
      assertThat(f.type()).isEqualTo(DeployError.FILE_ACCESS_FAILURE);
      assertThat(f.detail()).contains(dir.toString());
    }
  }

  /** A configured runtime that does not exist: prerequisite_missing. */
  @Test
  void missingJava(@TempDir Path root) throws Exception {
    try (MinaRemoteInstaller installer = new MinaRemoteInstaller(new PinnedHostKeys(root.resolve("known")))) {
      assertThat(fail(installer, "127.0.0.1", ssh.port(), "deployer", "right",
          plan(root.resolve("x"), "/nonexistent/jre/bin/java", "true")).type()).isEqualTo(DeployError.PREREQUISITE_MISSING);
    }
  }

  /** An installer that exits 1: installation_error with the exit code and its output tail. */
  @Test
  void installerExitsOne(@TempDir Path root) throws Exception {
    try (MinaRemoteInstaller installer = new MinaRemoteInstaller(new PinnedHostKeys(root.resolve("known")))) {
      DeployFailure f = fail(installer, "127.0.0.1", ssh.port(), "deployer", "right",
          plan(root.resolve("y"), java(), "echo 'unit file rejected' >&2; exit 1"));
      assertThat(f.type()).isEqualTo(DeployError.INSTALLATION_ERROR);
      assertThat(f.exitCode()).isEqualTo(1);
      assertThat(f.outputTail()).contains("unit file rejected");
    }
  }

  /** The request's toString never shows the password or the token. */
  @Test
  void secretsNotPrinted() {
    var r = new RemoteInstaller.Request(new DiscoveredHost("h", null, "csv"),
        new SshCredentials("u", "pw-123", null, null, 22), plan(data, null, null), jar, "fce_secret");
    assertThat(r.toString()).doesNotContain("pw-123").doesNotContain("fce_secret");
    assertThatThrownBy(() -> {
      throw new IllegalStateException(r.toString());
    }).hasMessageNotContaining("pw-123");
  }
}
