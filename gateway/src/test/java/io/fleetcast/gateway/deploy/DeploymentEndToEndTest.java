package io.fleetcast.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.ThinJar;
import io.fleetcast.gateway.testing.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deployments end to end through the API: a real server and Postgres, a real MINA SSH server on
 * 127.0.0.1 running real shells, an UnboundID in-memory directory with 50 computers. A job
 * installs agent-lite into a temporary root, the agent process really enrolls and connects, and
 * the host becomes withAgent; failures carry their error type, cause and solution; retry is one call.
 */
@Timeout(420)
class DeploymentEndToEndTest {
  static TestServer server;
  static Api api;
  static TestSshServer ssh;
  static InMemoryDirectoryServer ldap;
  static Path root;
  static final List<Path> pidFiles = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    root = Files.createTempDirectory("fleetcast-deploy-e2e");
    Path jar = ThinJar.write(root.resolve("fleetcast-agent-lite.jar"), "io.fleetcast.agent.Main");
    server = TestServer.start(Map.of("deploy.agentJar", jar.toString(), "deploy.retryBaseSeconds", 1,
        "deploy.connectTimeoutSeconds", 5, "deploy.attempts", 2));
    api = new Api(server.apiUrl(), server.adminToken());
    ssh = TestSshServer.start(Map.of("deployer", "right"));
    InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig("dc=corp,dc=example");
    cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
    cfg.addAdditionalBindCredentials("cn=reader,dc=corp,dc=example", "reader-pw");
    cfg.setSchema(null);
    ldap = new InMemoryDirectoryServer(cfg);
    ldap.add(new Entry("dn: dc=corp,dc=example", "objectClass: top", "objectClass: domain", "dc: corp"));
    ldap.add(new Entry("dn: ou=computers,dc=corp,dc=example", "objectClass: organizationalUnit", "ou: computers"));
    for (int i = 0; i < 50; i++) {
      String cn = i == 0 ? "lab-1" : "pc-" + i;
      ldap.add(new Entry("dn: cn=" + cn + ",ou=computers,dc=corp,dc=example", "objectClass: top",
          "objectClass: computer", "cn: " + cn, "dNSHostName: " + cn + ".corp.example",
          "userAccountControl: " + (i == 49 ? "4098" : "4096")));
    }
    ldap.startListening();
  }

  @AfterAll
  static void stop() throws Exception {
    for (Path pid : pidFiles) {
      if (Files.exists(pid)) {
        ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroy);
      }
    }
    ldap.shutDown(true);
    ssh.close();
    server.close();
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static JsonObject credentials(String password) {
    return new JsonObject().put("user", "deployer").put("password", password).put("port", ssh.port());
  }

  static JsonObject plan(String dir, String serviceCommand, int agentConnectSeconds) {
    return new JsonObject().put("installDir", root.resolve(dir).toString()).put("javaPath", java())
        .put("serviceCommand", serviceCommand).put("agentConnectTimeoutSeconds", agentConnectSeconds)
        .put("agentArgs", new JsonArray().add("--dev").add("--hostname").add(dir).add("--backoff-cap").add("2s"));
  }

  static JsonObject host(String jobId, String name) {
    return Waits.until(() -> {
      JsonObject job = api.get("/api/v1/deployments/" + jobId).json();
      Optional<JsonObject> h = job.getJsonArray("hosts").stream().map(o -> (JsonObject) o)
          .filter(x -> x.getString("name").equals(name)).findFirst();
      return h.filter(x -> Set.of("withAgent", "failed").contains(x.getString("state"))).orElse(null);
    }, Duration.ofMinutes(4));
  }

  private static final class Set {
    static java.util.Set<String> of(String... s) {
      return java.util.Set.of(s);
    }
  }

  /** A host list job installs agent-lite over SSH; the agent enrolls with its one-use token and connects. */
  @Test
  void installsAnAgentThatEnrollsAndConnects() throws IOException {
    Path pid = root.resolve("lab-1").resolve("agent.pid");
    pidFiles.add(pid);
    var res = api.post("/api/v1/deployments", new JsonObject().put("name", "lab").put("tags", new JsonArray().add("lab"))
        .put("hosts", new JsonArray().add(new JsonObject().put("name", "lab-1").put("ip", "127.0.0.1")))
        .put("credentials", credentials("right"))
        .put("plan", plan("lab-1", "nohup {java} -jar {jar} {args} > agent.log 2>&1 < /dev/null & echo $! > agent.pid", 180)));
    assertThat(res.status()).as(res.body()).isEqualTo(201);
    assertThat(res.json().getInteger("scheduled")).isEqualTo(1);
    String id = res.json().getString("id");
    JsonObject h = host(id, "lab-1");
    assertThat(h.getString("state")).as(h.encode()).isEqualTo("withAgent");
    JsonObject agent = api.get("/api/v1/agents/" + h.getString("agentId")).json();
    assertThat(agent.getString("hostname")).isEqualTo("lab-1");
    assertThat(agent.getJsonArray("tags").getList()).contains("lab");
    String job = api.get("/api/v1/deployments/" + id).body();
    assertThat(job).doesNotContain("\"right\"").contains("\"auth\":\"password\"");
    // the token was for one use: the file on the host cannot enroll a second machine
    String token = Files.readString(root.resolve("lab-1/agent.env")).trim().split("=", 2)[1];
    assertThat(api.as(token).post("/api/v1/enroll", new JsonObject().put("hostname", "clone")).status())
        .isIn(401, 403);
  }

  /** Failures end in one error type each, with cause and solution; retry re-schedules them in one call. */
  @Test
  void failuresCarryTheirErrorTypeAndRetryIsOneCall() {
    var res = api.post("/api/v1/deployments", new JsonObject().put("name", "bad").put("hosts", new JsonArray()
            .add(new JsonObject().put("name", "ghost.invalid"))
            .add(new JsonObject().put("name", "quiet-1").put("ip", "127.0.0.1")))
        .put("credentials", credentials("wrong")).put("plan", plan("bad", "true", 3)));
    assertThat(res.status()).as(res.body()).isEqualTo(201);
    String id = res.json().getString("id");
    JsonObject dns = host(id, "ghost.invalid");
    assertThat(dns.getJsonObject("error").getString("type")).isEqualTo("dns_resolution_failure");
    JsonObject logon = host(id, "quiet-1");
    assertThat(logon.getJsonObject("error").getString("type")).isEqualTo("logon_failure");
    assertThat(logon.getJsonObject("error").getString("solution")).contains("credentials");
    assertThat(logon.getInteger("attempts")).as("logon failures are not retried").isEqualTo(1);

    // one call: both failed hosts scheduled again, now with the right password; the service command starts nothing
    var retry = api.post("/api/v1/deployments/" + id + "/retry", new JsonObject().put("credentials", credentials("right"))
        .put("plan", plan("bad", "true", 3)));
    assertThat(retry.json().getInteger("scheduled")).as(retry.body()).isEqualTo(2);
    JsonObject notConnected = Waits.until(() -> {
      JsonObject h = host(id, "quiet-1");
      return h.getJsonObject("error") != null && "agent_not_connected".equals(h.getJsonObject("error").getString("type"))
          ? h : null;
    }, Duration.ofMinutes(3));
    assertThat(notConnected.getString("state")).isEqualTo("failed");
    assertThat(api.get("/metrics").body()).contains("fleetcast_deploy_failures_total{")
        .containsPattern("fleetcast_deploy_failures_total\\{[^}]*type=\"logon_failure\"[^}]*} [1-9]");
    JsonObject table = api.get("/api/v1/deployments/errors").json();
    assertThat(table.getJsonArray("items")).hasSize(DeployError.values().length);
  }

  /** A closed port is transient: retried with back-off up to deploy.attempts, then failed connection_refused. */
  @Test
  void transientFailuresAreRetriedWithBackoff() throws Exception {
    int closed;
    try (java.net.ServerSocket sock = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = sock.getLocalPort();
    }
    var res = api.post("/api/v1/deployments", new JsonObject().put("name", "closed").put("hosts", new JsonArray()
            .add(new JsonObject().put("name", "closed-1").put("ip", "127.0.0.1")))
        .put("credentials", credentials("right").put("port", closed)).put("plan", plan("closed", "true", 3)));
    JsonObject h = host(res.json().getString("id"), "closed-1");
    assertThat(h.getJsonObject("error").getString("type")).isEqualTo("connection_refused");
    assertThat(h.getInteger("attempts")).isEqualTo(2);
    assertThat(api.get("/metrics").body()).containsPattern("fleetcast_deploy_retries_total\\{[^}]*} [1-9]");
  }

  /** A host whose name matches an enrolled agent (short or fully qualified, any case) is withAgent at import. */
  @Test
  void hostsWithAnEnrolledAgentAreShownWithAgent() {
    String token = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 1)).json().getString("token");
    String agentId = api.as(token).post("/api/v1/enroll", new JsonObject().put("hostname", "known-pc")).json()
        .getString("agentId");
    var res = api.post("/api/v1/deployments", new JsonObject().put("name", "match").put("hosts", new JsonArray()
        .add(new JsonObject().put("name", "KNOWN-PC.corp.example")).add(new JsonObject().put("name", "unknown-pc"))));
    assertThat(res.json().getInteger("withAgent")).isEqualTo(1);
    JsonObject job = api.get("/api/v1/deployments/" + res.json().getString("id")).json();
    JsonObject known = job.getJsonArray("hosts").getJsonObject(0);
    assertThat(known.getString("state")).isEqualTo("withAgent");
    assertThat(known.getString("agentId")).isEqualTo(agentId);
    assertThat(job.getJsonObject("counts").getInteger("discovered")).isEqualTo(1);
  }

  /** Cancel ends a job: scheduled hosts return to discovered and nothing more starts (start is then a 409). */
  @Test
  void cancel() {
    var res = api.post("/api/v1/deployments", new JsonObject().put("name", "cancel").put("hosts", new JsonArray()
        .add(new JsonObject().put("name", "c-1").put("ip", "192.0.2.1"))));
    String id = res.json().getString("id");
    assertThat(api.post("/api/v1/deployments/" + id + "/cancel", null).json().getString("state")).isEqualTo("cancelled");
    assertThat(api.post("/api/v1/deployments/" + id + "/cancel", null).status()).isEqualTo(409);
    assertThat(api.post("/api/v1/deployments/" + id + "/start", new JsonObject().put("credentials", credentials("right")))
        .status()).isEqualTo(409);
    JsonObject job = api.get("/api/v1/deployments/" + id).json();
    assertThat(job.getString("state")).isEqualTo("cancelled");
    assertThat(job.getJsonArray("hosts").getJsonObject(0).getString("state")).isEqualTo("discovered");
    assertThat(api.get("/api/v1/deployments/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
  }

  /** LDAP discovery pages through 50 computers (disabled accounts left out) and stores them with their source. */
  @Test
  void ldapDiscovery() {
    var res = api.post("/api/v1/deployments", new JsonObject().put("name", "ad").put("ldap", new JsonObject()
        .put("url", "ldap://127.0.0.1:" + ldap.getListenPort()).put("baseDn", "ou=computers,dc=corp,dc=example")
        .put("flavor", "ad").put("bindDn", "cn=reader,dc=corp,dc=example").put("bindPassword", "reader-pw")
        .put("pageSize", 7)));
    assertThat(res.status()).as(res.body()).isEqualTo(201);
    assertThat(res.json().getInteger("hosts")).isEqualTo(49);
    JsonObject job = api.get("/api/v1/deployments/" + res.json().getString("id")).json();
    assertThat(job.getString("source")).isEqualTo("ldap");
    assertThat(job.getJsonArray("hosts").stream().map(o -> ((JsonObject) o).getString("source")).distinct().toList())
        .containsExactly("ldap");
    assertThat(job.encode()).doesNotContain("reader-pw");
    var refused = api.post("/api/v1/deployments", new JsonObject().put("name", "ad").put("ldap", new JsonObject()
        .put("url", "ldap://127.0.0.1:" + ldap.getListenPort()).put("baseDn", "ou=computers,dc=corp,dc=example")
        .put("bindDn", "cn=reader,dc=corp,dc=example").put("bindPassword", "nope")));
    assertThat(refused.status()).isEqualTo(502);
    var badFilter = api.post("/api/v1/deployments", new JsonObject().put("name", "ad").put("ldap", new JsonObject()
        .put("url", "ldap://127.0.0.1:1").put("baseDn", "dc=x").put("filter", "(cn=oops")));
    assertThat(badFilter.status()).isEqualTo(400);
    assertThat(badFilter.body()).contains("ldap.filter");
  }

  /** A CSV import keeps the good lines, reports each bad one by number, and refuses a file with none. */
  @Test
  void csvImport() {
    var res = api.post("/api/v1/deployments", new JsonObject().put("name", "csv")
        .put("csv", "\uFEFFBIOS_NAME,IP_ADDRESS\r\nPC-A,192.0.2.10\r\nbad name,192.0.2.11\r\n\"PC-B\",\"192.0.2.12\",x\r\n"));
    assertThat(res.status()).as(res.body()).isEqualTo(201);
    assertThat(res.json().getInteger("hosts")).isEqualTo(2);
    assertThat(res.json().getJsonArray("lineErrors").getJsonObject(0).getInteger("line")).isEqualTo(3);
    var none = api.post("/api/v1/deployments", new JsonObject().put("name", "csv").put("csv", "bad name,1.2.3.4\n"));
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.body()).contains("line 1:");
    var both = api.post("/api/v1/deployments", new JsonObject().put("name", "x").put("csv", "a").put("hosts", new JsonArray()));
    assertThat(both.status()).isEqualTo(400);
  }
}
