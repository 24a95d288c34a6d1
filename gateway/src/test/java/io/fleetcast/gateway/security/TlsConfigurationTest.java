package io.fleetcast.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.common.cluster.EventBusTls;
import io.fleetcast.common.config.FleetcastConfig;
import io.fleetcast.gateway.app.ProcessRole;
import io.fleetcast.gateway.app.ServerRuntime;
import io.vertx.core.eventbus.EventBusOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up refusals without TLS outside dev mode (with a message that says what to do), and the
 * gen-certs command as a user runs it.
 */
@Timeout(120)
class TlsConfigurationTest {
  @TempDir
  Path dir;

  /** gateway, node and both refuse to start without certificates unless dev; the message names the way out. */
  @Test
  void productionRolesRefuseToStartWithoutTls() {
    for (ProcessRole role : List.of(ProcessRole.GATEWAY, ProcessRole.NODE, ProcessRole.STANDALONE)) {
      ServerRuntime rt = new ServerRuntime(FleetcastConfig.of(Map.of("dev", false)));
      assertThatThrownBy(() -> rt.start(role))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("TLS is required outside dev mode")
          .hasMessageContaining(role.runsGateway() ? "FLEETCAST_API_TLS_CERT" : "FLEETCAST_AGENT_TLS_CERT")
          .hasMessageContaining("gen-certs")
          .hasMessageContaining("FLEETCAST_DEV=true");
    }
  }

  /** A certificate without its key, or an unreadable file, is refused in dev mode too. */
  @Test
  void halfConfiguredOrUnreadableTlsIsRefusedInAnyMode() throws Exception {
    DevCertificates.Result certs = DevCertificates.generate(dir, List.of("127.0.0.1"), java.time.Duration.ofDays(1), false);
    ServerRuntime certOnly = new ServerRuntime(FleetcastConfig.of(Map.of("dev", true,
        "api.tlsCert", certs.serverFile().toString())));
    assertThatThrownBy(() -> certOnly.start(ProcessRole.GATEWAY))
        .hasMessageContaining("api.tlsCert and api.tlsKey must be set together");
    ServerRuntime missing = new ServerRuntime(FleetcastConfig.of(Map.of("dev", true,
        "agent.tlsCert", dir.resolve("nope.pem").toString(), "agent.tlsKey", certs.serverKeyFile().toString())));
    assertThatThrownBy(() -> missing.start(ProcessRole.NODE))
        .hasMessageContaining("agent.tlsCert: cannot read");
    ServerRuntime badCa = new ServerRuntime(FleetcastConfig.of(Map.of("dev", true,
        "tls.caCert", dir.resolve("missing-ca.pem").toString())));
    assertThatThrownBy(() -> badCa.start(ProcessRole.GATEWAY)).hasMessageContaining("tls.caCert: cannot read");
    // event-bus TLS needs all three settings
    assertThatThrownBy(() -> EventBusTls.apply(FleetcastConfig.of(Map.of("cluster.tlsCert",
        certs.serverFile().toString())), new EventBusOptions()))
        .hasMessageContaining("cluster.tlsKey").hasMessageContaining("cluster.tlsCa");
    EventBusOptions eb = new EventBusOptions();
    assertThat(EventBusTls.apply(FleetcastConfig.of(Map.of("cluster.tlsCert", certs.serverFile().toString(),
        "cluster.tlsKey", certs.serverKeyFile().toString(), "cluster.tlsCa", certs.caFile().toString())), eb)).isTrue();
    assertThat(eb.isSsl()).isTrue();
    assertThat(eb.getClientAuth()).isEqualTo(io.vertx.core.http.ClientAuth.REQUIRED);
    assertThat(EventBusTls.apply(FleetcastConfig.of(Map.of()), new EventBusOptions())).isFalse();
  }

  /** What a user sees: `fleetcast gateway` without TLS and without FLEETCAST_DEV exits 1 with the explanation. */
  @Test
  void theGatewayCommandExplainsTheRefusal() throws Exception {
    Run r = fleetcast(Map.of("FLEETCAST_DATA_DIR", dir.toString()), "gateway");
    assertThat(r.exit).isEqualTo(1);
    assertThat(r.output).contains("cannot start gateway").contains("TLS is required outside dev mode")
        .contains("gen-certs").contains("FLEETCAST_DEV=true");
  }

  /**
   * gen-certs writes a CA, a chain for the named hosts and PKCS#8 keys readable by the owner only,
   * prints the CA fingerprint, keeps the CA on a second run and makes a new one with --new-ca.
   */
  @Test
  void genCertsWritesAPinnableCaAndAServerChain() throws Exception {
    Path out = dir.resolve("certs");
    Run first = fleetcast(Map.of(), "gen-certs", "--dir", out.toString(), "--hosts", "127.0.0.1,localhost,fleet.example");
    assertThat(first.exit).as(first.output).isZero();
    X509Certificate ca = DevCertificates.readCertificate(out.resolve("ca.pem"));
    String fingerprint = Fingerprints.sha256(ca);
    assertThat(first.output).contains(fingerprint).contains("--pin-sha256 " + fingerprint)
        .contains("FLEETCAST_API_TLS_CERT=").contains("FLEETCAST_TLS_CA_CERT=");
    for (String key : List.of("server-key.pem", "ca-key.pem")) {
      assertThat(Files.getPosixFilePermissions(out.resolve(key))).as(key)
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.readString(out.resolve(key))).startsWith("-----BEGIN PRIVATE KEY-----");
    }
    List<X509Certificate> chain = chain(out.resolve("server.pem"));
    assertThat(chain).hasSize(2);
    X509Certificate leaf = chain.get(0);
    assertThat(chain.get(1)).isEqualTo(ca);
    leaf.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    List<String> names = new ArrayList<>();
    leaf.getSubjectAlternativeNames().forEach(n -> names.add(n.get(1).toString()));
    assertThat(names).containsExactlyInAnyOrder("127.0.0.1", "localhost", "fleet.example");

    Run again = fleetcast(Map.of(), "gen-certs", "--dir", out.toString(), "--hosts", "127.0.0.1");
    assertThat(again.exit).isZero();
    assertThat(again.output).contains(fingerprint).contains("kept from an earlier run");
    assertThat(chain(out.resolve("server.pem")).get(0).getSerialNumber()).isNotEqualTo(leaf.getSerialNumber());

    Run fresh = fleetcast(Map.of(), "gen-certs", "--dir", out.toString(), "--hosts", "127.0.0.1", "--new-ca");
    assertThat(fresh.exit).isZero();
    assertThat(fresh.output).doesNotContain(fingerprint);

    Run bad = fleetcast(Map.of(), "gen-certs", "--dir", out.toString(), "--hosts", "127.0.0.1,not a host!");
    assertThat(bad.exit).isEqualTo(2);
    assertThat(bad.output).contains("not an IP address or DNS name");
  }

  record Run(int exit, String output) {}

  /** Runs the server's main class in its own JVM from the test class path, with only the given FLEETCAST_ variables. */
  static Run fleetcast(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "io.fleetcast.gateway.app.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("FLEETCAST_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("fleetcast " + String.join(" ", args) + " did not exit");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static List<X509Certificate> chain(Path pem) throws Exception {
    List<X509Certificate> out = new ArrayList<>();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pem))).forEach(c -> out.add((X509Certificate) c));
    return out;
  }
}
