package io.fleetcast.gateway.agentupdate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.update.UpdateSlots;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.ThinJar;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.fleetcast.gateway.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real restart mechanism, at small scale: the launcher is a child JVM
 * ({@code io.fleetcast.agent.update.Launcher}) that runs agent-lite as its own child JVM. A good
 * release makes the agent halt with exit code 75, the launcher starts the new jar and the new
 * JVM reconnects reporting the new version; a broken jar (its main class does not load) exits 1
 * and the launcher starts the previous jar again, which reports the failure.
 */
@Timeout(600)
class AgentSelfUpdateProcessTest {
  static TestServer server;
  static Api api;
  static Path install;
  static Process launcher;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    api = new Api(server.apiUrl(), server.adminToken());
    install = Files.createTempDirectory("fleetcast-launcher");
    Path initial = ThinJar.write(install.resolve(UpdateSlots.INITIAL_JAR), "io.fleetcast.agent.Main",
        Map.of(AgentOptions.VERSION_RESOURCE, "1.0.0"), true);
    String token = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 1)
        .put("tags", new JsonArray().add("proc"))).json().getString("token");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", initial.toString(), "io.fleetcast.agent.update.Launcher",
        "--install-dir", install.toString(), "--max-starts", "10", "--", "--gateway", server.apiUrl(), "--state-dir",
        install.resolve("state").toString(), "--dev", "--hostname", "proc-1", "--backoff-cap", "2s"))
        .redirectErrorStream(true).redirectOutput(install.resolve("launcher.log").toFile());
    pb.environment().put("FLEETCAST_ENROLL_TOKEN", token);
    launcher = pb.start();
    Waits.until(() -> version().equals("1.0.0") ? true : null, Duration.ofMinutes(3));
  }

  @AfterAll
  static void stop() throws Exception {
    if (launcher != null) {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly().waitFor();
    }
    server.close();
  }

  /** The version the online agent tagged "proc" reports, or "" when none is online. */
  static String version() {
    JsonArray items = api.get("/api/v1/agents?tag=proc&online=true").json().getJsonArray("items");
    return items.isEmpty() ? "" : items.getJsonObject(0).getString("version");
  }

  static String update(String version, boolean starts) throws Exception {
    Path jar = ThinJar.write(install.getParent().resolve("build-" + version + "-" + System.nanoTime() + ".jar"),
        "io.fleetcast.agent.Main", Map.of(AgentOptions.VERSION_RESOURCE, version), starts);
    var pub = api.post("/api/v1/agent-releases", new JsonObject().put("version", version).put("file", jar.toString()));
    assertThat(pub.status()).as(pub.body()).isEqualTo(201);
    JsonObject spec = pub.json().getJsonObject("updateSpec").put("connectTimeoutSeconds", 90);
    var res = api.post("/api/v1/rollouts", new JsonObject().put("name", "update " + version)
        .put("steps", new JsonArray().add(new JsonObject().put("kind", "agentUpdate").put("spec", spec)))
        .put("targets", new JsonObject().put("tags", new JsonArray().add("proc")))
        .put("strategy", new JsonObject().put("maxFailurePercent", 0)));
    assertThat(res.status()).as(res.body()).isEqualTo(201);
    return res.json().getString("id");
  }

  /** Good release: a new JVM runs the new jar and reports its version; broken release: rolled back, reported failed. */
  @Test
  void realChildJvmsSwapAndRollBack() throws Exception {
    String good = update("2.0.0", true);
    JsonObject r = Waits.rolloutState(api, good, Set.of("completed", "halted"), Duration.ofMinutes(4));
    assertThat(r.getString("state")).as(r.encode() + "\n" + Files.readString(install.resolve("launcher.log")))
        .isEqualTo("completed");
    assertThat(version()).isEqualTo("2.0.0");
    assertThat(Files.exists(install.resolve("versions/2.0.0.jar"))).isTrue();
    assertThat(Files.readString(install.resolve("previous")).trim()).isEqualTo(UpdateSlots.INITIAL);

    String broken = update("3.0.0-broken", false);
    JsonObject b = Waits.rolloutState(api, broken, Set.of("completed", "halted"), Duration.ofMinutes(4));
    JsonObject target = api.get("/api/v1/rollouts/" + broken + "/results").json().getJsonArray("items").getJsonObject(0);
    assertThat(target.getString("status")).as(target.encode()).isEqualTo("failed");
    assertThat(target.getString("output")).contains("rolled back to 2.0.0").contains("exited with code 1");
    assertThat(b.getString("state")).isIn("halted", "completed");
    Waits.until(() -> version().equals("2.0.0") ? true : null, Duration.ofMinutes(2));
    assertThat(Files.readString(install.resolve("current")).trim()).isEqualTo("2.0.0");
  }
}
