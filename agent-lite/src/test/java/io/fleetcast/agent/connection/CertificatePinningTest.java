package io.fleetcast.agent.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcast.agent.enroll.BootstrapInfo;
import io.fleetcast.agent.enroll.GatewayClient;
import io.fleetcast.protocol.AgentCredential;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS pinning against an HTTPS server on 127.0.0.1 whose certificate chain (leaf signed by a
 * test CA) is made with the JDK's keytool: the leaf pin and the CA pin pass, anything else fails.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class CertificatePinningTest {
  private static final String PW = "changeit";

  @TempDir
  static Path dir;

  static X509Certificate leaf;
  static X509Certificate ca;
  static X509Certificate stranger;
  static Vertx vertx;
  static HttpServer server;

  @BeforeAll
  static void makeCertificatesAndServer() throws Exception {
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Fleetcast Test CA", "-ext", "bc:c",
        "-validity", "2", "-keystore", "ca.p12");
    keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2",
        "-keystore", "leaf.p12");
    keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-dname", "CN=Impostor", "-validity", "2",
        "-keystore", "other.p12");
    keytool("-certreq", "-alias", "leaf", "-keystore", "leaf.p12", "-file", "leaf.csr");
    keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "leaf.csr", "-outfile", "leaf.cer",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2");
    keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.cer");
    keytool("-importcert", "-alias", "ca", "-file", "ca.cer", "-keystore", "leaf.p12", "-noprompt");
    keytool("-importcert", "-alias", "leaf", "-file", "leaf.cer", "-keystore", "leaf.p12", "-noprompt");
    ca = cert("ca.p12", "ca");
    stranger = cert("other.p12", "other");
    KeyStore ks = load("leaf.p12");
    leaf = (X509Certificate) ks.getCertificateChain("leaf")[0];
    assertThat(ks.getCertificateChain("leaf")).hasSize(2);

    vertx = Vertx.vertx();
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
        .setKeyCertOptions(new KeyStoreOptions().setType("PKCS12").setPath(dir.resolve("leaf.p12").toString())
            .setPassword(PW).setAlias("leaf").setAliasPassword(PW)));
    server.requestHandler(req -> req.response().end(new JsonObject().put("nodes",
        new JsonArray().add("wss://127.0.0.1:1/agent/v1")).encode()));
    server.listen().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static BootstrapInfo bootstrap(String pin) throws Exception {
    TransportPolicy policy = new TransportPolicy(false, pin, true);
    HttpClient http = vertx.createHttpClient(policy.apply(new HttpClientOptions(), false));
    try {
      return new GatewayClient(http, policy, Duration.ofSeconds(5))
          .bootstrap("https://127.0.0.1:" + server.actualPort(), new AgentCredential("a", "s"))
          .await(10, TimeUnit.SECONDS);
    } finally {
      http.close();
    }
  }

  /** Pinning the server certificate itself, or the CA that issued it, lets the agent in. */
  @Test
  void leafAndCaPinsAreAccepted() throws Exception {
    assertThat(bootstrap(CertificatePin.fingerprint(leaf)).nodes()).containsExactly("wss://127.0.0.1:1/agent/v1");
    assertThat(bootstrap(CertificatePin.fingerprint(ca)).nodes()).hasSize(1);
  }

  /** Another pin, or no pin with a certificate outside the system trust store, is refused. */
  @Test
  void anythingElseIsRefused() {
    assertThatThrownBy(() -> bootstrap(CertificatePin.fingerprint(stranger))).hasMessageContaining("not reachable");
    assertThatThrownBy(() -> bootstrap(null)).hasMessageContaining("not reachable");
  }

  /** Presenting the pinned CA's (public) certificate next to a leaf it did not sign proves nothing. */
  @Test
  void pinnedCaMustHaveSignedTheChain() {
    PinningTrustManager tm = PinningTrustManager.strict(new CertificatePin(CertificatePin.fingerprint(ca)));
    assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[] {stranger, ca}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
    assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[] {stranger}, "ECDHE_ECDSA"))
        .hasMessageContaining("does not match the pinned");
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storepass", PW, "-storetype", "PKCS12"));
    if (List.of(args).contains("-genkeypair")) {
      cmd.addAll(List.of("-keypass", PW));
    }
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
  }

  private static KeyStore load(String file) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(file))) {
      ks.load(in, PW.toCharArray());
    }
    return ks;
  }

  private static X509Certificate cert(String file, String alias) throws Exception {
    return (X509Certificate) load(file).getCertificate(alias);
  }
}
