package io.fleetcast.gateway.software;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.content.ContentOptions;
import io.fleetcast.gateway.app.ProcessRole;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.gateway.app.ServerRuntime;
import io.fleetcast.gateway.testing.Api;
import io.fleetcast.gateway.testing.TestServer;
import io.fleetcast.gateway.testing.Waits;
import io.fleetcast.protocol.Facts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Software distribution with real parts: a standalone server (gateway, node, origin and depot
 * "berlin-1") plus a depot-role member ("paris-1") on one Hazelcast cluster and Postgres, and
 * in-process agent-lite agents in four loopback subnets (127.0.1-4.0/24, peer servers bound to
 * their own 127.0.S.x address). One package of 20 MB with two programs.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SoftwareDistributionEndToEndTest {
  private static final Logger LOG = Logger.getLogger(SoftwareDistributionEndToEndTest.class.getName());
  static final int SIZE = 20 * 1024 * 1024;
  static final int SUBNETS = 4;
  static final int PER_SUBNET = 20;
  static final int N = SUBNETS * PER_SUBNET;
  static final long MAX_BYTES = 25_000_000;
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static TestServer server;
  static ServerRuntime paris;
  static Vertx vertx;
  static Api api;
  static Path work;
  static Path packageFile;
  static String sha;
  static final List<AgentLite> agents = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of("depot.name", "berlin-1", "depot.site", "berlin",
        "depot.subnets", "127.0.1.0/24,127.0.2.0/24", "depot.port", 0, "depot.host", "127.0.0.1",
        "depot.syncMillis", 200, "packages.maxBytes", MAX_BYTES));
    paris = server.startRole(ProcessRole.DEPOT, Map.of("depot.name", "paris-1", "depot.site", "paris",
        "depot.subnets", "127.0.3.0/24,127.0.4.0/24", "depot.port", 0, "depot.host", "127.0.0.1",
        "depot.syncMillis", 200));
    vertx = Vertx.vertx();
    api = new Api(server.apiUrl(), server.adminToken());
    work = Files.createTempDirectory("software-e2e");
    packageFile = work.resolve("tool.bin");
    byte[] bytes = new byte[SIZE];
    new Random(12).nextBytes(bytes);
    Files.write(packageFile, bytes);
    sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @AfterAll
  static void stop() {
    Future.join(agents.stream().map(AgentLite::stop).toList()).await();
    vertx.close().await();
    paris.close();
    server.close();
  }

  static HttpResponse<String> upload(String query, HttpRequest.BodyPublisher body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.apiUrl() + "/api/v1/packages?" + query))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/octet-stream").POST(body);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static double metric(String baseUrl, String name, String label) throws Exception {
    String text = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  static JsonObject installRollout(String program, JsonObject targets, JsonObject strategy) {
    return new JsonObject().put("name", "install " + program + " " + Instant.now())
        .put("steps", new JsonArray().add(new JsonObject().put("kind", "install")
            .put("spec", new JsonObject().put("package", "tool@1.0").put("program", program))))
        .put("targets", targets).put("strategy", strategy);
  }

  /** Upload 20 MB streamed, two programs, distribution to both depots of both sites: origin served once per depot. */
  @Test
  @Order(1)
  void uploadProgramsAndDistribute() throws Exception {
    HttpResponse<String> up = upload("name=tool&version=1.0&file=tool.bin&sha256=" + sha,
        HttpRequest.BodyPublishers.ofFile(packageFile), server.adminToken());
    assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
    JsonObject pkg = new JsonObject(up.body());
    assertThat(pkg.getString("sha256")).isEqualTo(sha);
    assertThat(pkg.getLong("size")).isEqualTo(SIZE);
    assertThat(pkg.getJsonArray("files").getJsonObject(0).getString("path")).isEqualTo("tool.bin");
    // Linux exit codes are 8 bits: 3010 (the Windows convention) cannot be produced here, so the
    // program declares 194 as its reboot-required code (PackageInstallTest covers 3010 itself)
    Api.Res install = api.post("/api/v1/packages/tool@1.0/programs", new JsonObject().put("name", "install")
        .put("command", "sh").put("args", new JsonArray().add("-c").add("test -s \"$FLEETCAST_DOWNLOAD\" && exit 194"))
        .put("rebootExitCodes", new JsonArray().add(3010).add(194)).put("timeoutSeconds", 60));
    assertThat(install.status()).as(install.body()).isEqualTo(201);
    assertThat(api.post("/api/v1/packages/tool@1.0/programs", new JsonObject().put("name", "stage")
        .put("deliverOnly", true)).status()).isEqualTo(201);
    assertThat(api.get("/api/v1/packages/tool@1.0/programs").json().getJsonArray("items")).hasSize(2);

    Api.Res bySite = api.post("/api/v1/packages/tool@1.0/distribute", new JsonObject().put("sites",
        new JsonArray().add("paris")));
    assertThat(bySite.status()).as(bySite.body()).isEqualTo(202);
    assertThat(bySite.json().getInteger("asked")).as("only the paris depot").isEqualTo(1);
    Api.Res dist = api.post("/api/v1/packages/tool@1.0/distribute", new JsonObject().put("all", true));
    assertThat(dist.status()).as(dist.body()).isEqualTo(202);
    assertThat(dist.json().getInteger("asked")).as("berlin; paris was asked already").isEqualTo(1);
    assertThat(api.post("/api/v1/packages/tool@1.0/distribute", new JsonObject().put("depots",
        new JsonArray().add("nosuch"))).json().getInteger("asked")).isZero();
    Waits.until(() -> {
      JsonArray depots = api.get("/api/v1/packages/tool@1.0").json().getJsonArray("depots");
      long ready = depots.stream().map(o -> (JsonObject) o).filter(d -> "ready".equals(d.getString("state"))).count();
      return ready == 3 ? true : null;
    }, Duration.ofSeconds(60));
    assertThat(Files.exists(server.runtime().depot().blobs().path(sha))).isTrue();
    assertThat(Files.exists(paris.depot().blobs().path(sha))).isTrue();
    double origin = metric(server.apiUrl(), "fleetcast_depot_bytes_served_total", "kind=\"origin\"");
    double fetched = metric(server.apiUrl(), "fleetcast_depot_bytes_fetched_total", "kind=\"depot\"")
        + metric(paris.depot().url(), "fleetcast_depot_bytes_fetched_total", "kind=\"depot\"");
    assertThat(origin).as("origin served each depot at most once").isLessThanOrEqualTo(2.0 * SIZE);
    assertThat(fetched).as("both depots fetched the package once").isEqualTo(2.0 * SIZE);
  }

  /** Agents of four subnets install it: every target succeeds, reboot required, the origin sends nothing more, peers serve. */
  @Test
  @Order(2)
  void agentsInFourSubnetsInstallFromDepotsAndPeers() throws Exception {
    String token = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", N)
        .put("tags", new JsonArray().add("sw"))).json().getString("token");
    List<Future<Void>> starts = new ArrayList<>();
    for (int s = 1; s <= SUBNETS; s++) {
      for (int i = 0; i < PER_SUBNET; i++) {
        String ip = "127.0." + s + "." + (10 + i);
        AgentOptions o = new AgentOptions().stateDir(work.resolve("agent-" + ip)).gatewayUrl(server.apiUrl())
            .enrollmentToken(token).dev(true).backoffBase(Duration.ofMillis(100)).backoffCap(Duration.ofSeconds(2))
            .factsProvider(new StaticFactsProvider(new Facts("a-" + ip, "TestOS", "x86_64", List.of(ip),
                List.of("02:00:00:00:0" + s + ":" + (10 + i)), List.of("127.0." + s + ".0/24"), List.of(), List.of())))
            .content(ContentOptions.defaults().withSubnet("127.0." + s + ".0/24").withPeerServer(ip, 0, 4, 0));
        AgentLite a = new AgentLite(vertx, o);
        agents.add(a);
        starts.add(a.start());
      }
    }
    Future.all(starts).await();
    Waits.until(() -> agents.stream().allMatch(AgentLite::connected) ? true : null, Duration.ofSeconds(60));
    double originBefore = metric(server.apiUrl(), "fleetcast_depot_bytes_served_total", "kind=\"origin\"");

    long t0 = System.nanoTime();
    Api.Res created = api.post("/api/v1/rollouts", installRollout("install",
        new JsonObject().put("tags", new JsonArray().add("sw")), new JsonObject().put("waves", new JsonArray().add(10).add(100))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    JsonObject done = Waits.rolloutState(api, id, Set.of("completed", "halted", "expired"), Duration.ofSeconds(180));
    LOG.info(String.format("event=e2e.software agents=%d seconds=%.1f", N, (System.nanoTime() - t0) / 1e9));
    assertThat(done.getString("state")).as(done.encode()).isEqualTo("completed");
    assertThat(done.getJsonObject("counts").getInteger("succeeded")).isEqualTo(N);

    JsonObject report = api.get("/api/v1/rollouts/" + id + "/downloads").json();
    JsonObject bytes = report.getJsonObject("bytes");
    LOG.info("event=e2e.software.bytes " + bytes.encode());
    assertThat(report.getInteger("finished")).isEqualTo(N);
    assertThat(bytes.getLong("origin")).as("no agent fetched from the origin").isZero();
    assertThat(bytes.getLong("peers")).as("peers served part of the fleet").isPositive();
    assertThat(bytes.getLong("depots") + bytes.getLong("peers")).isGreaterThanOrEqualTo((long) N * SIZE);
    for (Object o : report.getJsonArray("targets")) {
      JsonObject t = (JsonObject) o;
      assertThat(t.getString("status")).isEqualTo("succeeded");
      assertThat(t.getInteger("exitCode")).isEqualTo(194);
      assertThat(t.getBoolean("rebootRequired")).as("reboot required").isTrue();
    }
    double originAfter = metric(server.apiUrl(), "fleetcast_depot_bytes_served_total", "kind=\"origin\"");
    assertThat(originAfter - originBefore).as("origin bytes during the rollout").isZero();
    assertThat(originAfter).as("origin served at most once per depot").isLessThanOrEqualTo(2.0 * SIZE);
    double berlin = metric(server.apiUrl(), "fleetcast_depot_bytes_served_total", "kind=\"depot\"");
    double parisBytes = metric(paris.depot().url(), "fleetcast_depot_bytes_served_total", "kind=\"depot\"");
    assertThat(berlin + parisBytes + bytes.getLong("peers"))
        .as("every agent's 20 MB came from a depot or a peer (metrics)").isGreaterThanOrEqualTo((double) N * SIZE);
    long peerBytes = agents.stream().filter(a -> a.content().peerServer() != null)
        .mapToLong(a -> a.content().peerServer().bytesServed()).sum();
    assertThat(peerBytes).as("bytes the peer servers sent").isGreaterThanOrEqualTo(bytes.getLong("peers"));
  }

  /** A deliver-only program leaves the verified file in the cache and runs nothing; a re-run downloads nothing. */
  @Test
  @Order(3)
  void deliverOnlyKeepsTheFileAndRunsNothing() throws Exception {
    AgentLite a = agents.get(0);
    Api.Res created = api.post("/api/v1/rollouts", installRollout("stage",
        new JsonObject().put("agents", new JsonArray().add(a.agentId())), new JsonObject()));
    String id = created.json().getString("id");
    Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(60));
    JsonObject result = api.get("/api/v1/rollouts/" + id + "/results").json().getJsonArray("items").getJsonObject(0);
    assertThat(result.getString("status")).isEqualTo("succeeded");
    assertThat(result.getString("output")).contains("nothing run").contains("cache=" + SIZE).endsWith("source=cache");
    Path cached = a.content().cache().lookup(sha);
    assertThat(cached).isNotNull();
    assertThat(Files.size(cached)).isEqualTo(SIZE);
    assertThat(api.get("/api/v1/rollouts/" + id + "/downloads").json().getJsonArray("targets").getJsonObject(0)
        .getBoolean("rebootRequired")).isFalse();
  }

  /** Pre-staging: with runAt in the future the agent downloads and verifies at once and runs the program at runAt. */
  @Test
  @Order(4)
  void prestagedInstallDownloadsNowAndRunsAtTheTime() throws Exception {
    Path small = work.resolve("later.sh");
    Files.writeString(small, "date +%s\n" + "#".repeat(100_000));
    byte[] bytes = Files.readAllBytes(small);
    String laterSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(upload("name=later&version=1&file=later.sh", HttpRequest.BodyPublishers.ofFile(small),
        server.adminToken()).statusCode()).isEqualTo(201);
    assertThat(api.post("/api/v1/packages/later@1/programs", new JsonObject().put("name", "run").put("command", "sh")
        .put("args", new JsonArray().add("{file}"))).status()).isEqualTo(201);
    AgentLite a = agents.get(3);
    Instant runAt = Instant.now().plusSeconds(15);
    JsonObject body = installRollout("run", new JsonObject().put("agents", new JsonArray().add(a.agentId())),
        new JsonObject());
    body.getJsonArray("steps").getJsonObject(0).getJsonObject("spec").put("package", "later@1")
        .put("runAt", runAt.toString());
    Api.Res created = api.post("/api/v1/rollouts", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().getString("id");
    Waits.until(() -> {
      try {
        return a.content().cache().lookup(laterSha);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, Duration.ofSeconds(30));
    assertThat(api.get("/api/v1/rollouts/" + id + "/results").json().getJsonArray("items"))
        .as("downloaded and verified, not run yet").isEmpty();
    // progress reports are written in batches: the 100 % one can land after the file is in the cache
    JsonObject waiting = Waits.until(() -> {
      JsonArray running = api.get("/api/v1/rollouts/" + id + "/downloads").json().getJsonArray("inProgress");
      return running.isEmpty() || running.getJsonObject(0).getInteger("percent", 0) < 100 ? null
          : running.getJsonObject(0);
    }, Duration.ofSeconds(10));
    assertThat(waiting.getString("agentId")).isEqualTo(a.agentId());
    assertThat(waiting.getInteger("percent")).as("progress frames reached the target").isEqualTo(100);
    Waits.rolloutState(api, id, Set.of("completed"), Duration.ofSeconds(60));
    String output = api.get("/api/v1/rollouts/" + id + "/results").json().getJsonArray("items").getJsonObject(0)
        .getString("output");
    long ranAt = Long.parseLong(output.lines().findFirst().orElseThrow().trim());
    assertThat(ranAt).as("the program ran at runAt, not before").isGreaterThanOrEqualTo(runAt.getEpochSecond());
    assertThat(api.delete("/api/v1/packages/later@1").status()).isEqualTo(204);
  }

  /**
   * A corrupted peer: agent X of a fifth subnet installs (and becomes its subnet's peer), then its
   * cached copy is damaged on disk; agent Y of the same subnet gets X as its peer, the hash
   * catches the bad bytes, Y falls back to a depot and ends verified and succeeded.
   */
  @Test
  @Order(3)
  void corruptedPeerIsCaughtByTheHashAndTheAgentFallsBack() throws Exception {
    String token = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 2)
        .put("tags", new JsonArray().add("sw5"))).json().getString("token");
    AgentLite x = subnetAgent(token, "127.0.5.10", 5);
    AgentLite y = subnetAgent(token, "127.0.5.11", 5);
    Future.all(x.start(), y.start()).await();
    Waits.until(() -> x.connected() && y.connected() ? true : null, Duration.ofSeconds(60));
    String first = api.post("/api/v1/rollouts", installRollout("install",
        new JsonObject().put("agents", new JsonArray().add(x.agentId())), new JsonObject())).json().getString("id");
    Waits.rolloutState(api, first, Set.of("completed"), Duration.ofSeconds(60));
    Path cached = x.content().cache().lookup(sha);
    try (var ch = java.nio.channels.FileChannel.open(cached, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), SIZE / 2);
    }
    String second = api.post("/api/v1/rollouts", installRollout("install",
        new JsonObject().put("agents", new JsonArray().add(y.agentId())), new JsonObject())).json().getString("id");
    JsonObject done = Waits.rolloutState(api, second, Set.of("completed", "halted"), Duration.ofSeconds(60));
    assertThat(done.getJsonObject("counts").getInteger("succeeded")).isEqualTo(1);
    String output = api.get("/api/v1/rollouts/" + second + "/results").json().getJsonArray("items").getJsonObject(0)
        .getString("output");
    assertThat(output).as("the peer's bytes were fetched and thrown away, the depot's verified")
        .contains("peer=" + SIZE).contains("depot=" + SIZE).endsWith("source=depot");
    assertThat(io.fleetcast.agent.task.kinds.Downloader.sha256(y.content().cache().lookup(sha))).isEqualTo(sha);
  }

  static AgentLite subnetAgent(String token, String ip, int s) {
    AgentOptions o = new AgentOptions().stateDir(work.resolve("agent-" + ip)).gatewayUrl(server.apiUrl())
        .enrollmentToken(token).dev(true).backoffBase(Duration.ofMillis(100)).backoffCap(Duration.ofSeconds(2))
        .factsProvider(new StaticFactsProvider(new Facts("a-" + ip, "TestOS", "x86_64", List.of(ip),
            List.of("02:00:00:00:0" + s + ":" + ip.substring(ip.lastIndexOf('.') + 1)),
            List.of("127.0." + s + ".0/24"), List.of(), List.of())))
        .content(ContentOptions.defaults().withSubnet("127.0." + s + ".0/24").withPeerServer(ip, 0, 4, 0));
    AgentLite a = new AgentLite(vertx, o);
    agents.add(a);
    return a;
  }

  /** A peer server refuses a request without a signed token, with a clear 401. */
  @Test
  @Order(4)
  void peerRefusesUnsignedRequest() throws Exception {
    AgentLite a = agents.get(1);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(peerUrl(a) + "/content/" + sha)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("no content token");
  }

  static String peerUrl(AgentLite a) {
    return a.content().peerUrl();
  }

  /** Deleting a package an active rollout uses is refused; after it ends, Remove Package clears every depot. */
  @Test
  @Order(5)
  void deleteInUseRefusedThenRemovedEverywhere() throws Exception {
    Api.Res scheduled = api.post("/api/v1/rollouts", installRollout("install",
        new JsonObject().put("agents", new JsonArray().add(agents.get(2).agentId())),
        new JsonObject().put("startAfter", Instant.now().plusSeconds(3600).toString())));
    assertThat(scheduled.status()).as(scheduled.body()).isEqualTo(201);
    Api.Res refused = api.delete("/api/v1/packages/tool@1.0");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body()).contains("used by active rollout").contains(scheduled.json().getString("id"));
    api.post("/api/v1/rollouts/" + scheduled.json().getString("id") + "/cancel", new JsonObject());
    assertThat(api.delete("/api/v1/packages/tool@1.0").status()).isEqualTo(204);
    Waits.until(() -> !Files.exists(server.runtime().depot().blobs().path(sha))
        && !Files.exists(paris.depot().blobs().path(sha)) ? true : null, Duration.ofSeconds(60));
    Waits.until(() -> contentRows(sha) == 0 ? true : null, Duration.ofSeconds(60));
    assertThat(Files.exists(server.runtime().gateway().software().blobs().path(sha))).as("origin blob").isFalse();
    assertThat(api.get("/api/v1/packages/tool@1.0").status()).isEqualTo(404);
  }

  /** Bad uploads and programs: each a clear error, and nothing stored (no row, no blob, no temp file). */
  @Test
  @Order(6)
  void badInputIsRefusedAndNothingStored() throws Exception {
    int before = api.get("/api/v1/packages").json().getJsonArray("items").size();
    HttpResponse<String> truncated = upload("name=t&version=1&size=1000", HttpRequest.BodyPublishers.ofByteArray(
        new byte[400]), server.adminToken());
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(truncated.body()).contains("truncated upload");
    Path evil = work.resolve("evil.zip");
    try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(evil))) {
      z.putNextEntry(new java.util.zip.ZipEntry("../../escape.sh"));
      z.write("boom".getBytes());
      z.closeEntry();
    }
    HttpResponse<String> slip = upload("name=evil&version=1&file=evil.zip", HttpRequest.BodyPublishers.ofFile(evil),
        server.adminToken());
    assertThat(slip.statusCode()).isEqualTo(400);
    assertThat(slip.body()).contains("zip-slip");
    HttpResponse<String> big = upload("name=big&version=1", HttpRequest.BodyPublishers.ofInputStream(
        () -> new java.io.ByteArrayInputStream(new byte[(int) MAX_BYTES + 1024])), server.adminToken());
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).contains("packages.maxBytes");
    HttpResponse<String> anonymous = upload("name=x&version=1", HttpRequest.BodyPublishers.ofString("x"), null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    Api.Res program = api.post("/api/v1/packages/nosuch@1/programs", new JsonObject().put("name", "p")
        .put("command", "x"));
    assertThat(program.status()).isEqualTo(404);
    assertThat(program.body()).contains("no package nosuch@1");
    Api.Res rollout = api.post("/api/v1/rollouts", new JsonObject().put("name", "x").put("steps", new JsonArray()
        .add(new JsonObject().put("kind", "install").put("spec", new JsonObject().put("package", "nosuch")
            .put("program", "p")))).put("targets", new JsonObject().put("all", true)));
    assertThat(rollout.status()).isEqualTo(400);
    assertThat(rollout.body()).contains("steps[0].spec.package");
    assertThat(api.get("/api/v1/packages").json().getJsonArray("items")).hasSize(before);
    try (Stream<Path> files = Files.list(packagesDir())) {
      assertThat(files.map(p -> p.getFileName().toString())).as("no blob or temp file left").isEmpty();
    }
  }

  /**
   * Enrollment hands out the nodes of the agent's site first (sites of the depots): with a second
   * node in paris (idle, so first by load), a berlin agent still gets the berlin node first.
   */
  @Test
  @Order(7)
  void enrollmentOrdersNodesOfTheAgentsSiteFirst() {
    ServerRuntime parisNode = server.startMember(false, true, Map.of("depot.name", "paris-node", "depot.site", "paris",
        "depot.host", "127.0.0.1", "depot.port", 0));
    try {
      String berlinUrl = server.agentUrl();
      String parisUrl = parisNode.node().agentUrl();
      String token = api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", 10)).json()
          .getString("token");
      Api enroller = api.as(token);
      JsonArray berlin = Waits.until(() -> {
        JsonArray nodes = enroller.post("/api/v1/enroll", new JsonObject().put("hostname", "b")
            .put("facts", new JsonObject().put("ips", new JsonArray().add("127.0.1.200")))).json().getJsonArray("nodes");
        return nodes.size() == 2 ? nodes : null;
      }, Duration.ofSeconds(30));
      assertThat(berlin.getString(0)).as("berlin agent, berlin node first").isEqualTo(berlinUrl);
      JsonArray paris = enroller.post("/api/v1/enroll", new JsonObject().put("hostname", "p")
          .put("facts", new JsonObject().put("ips", new JsonArray().add("127.0.3.200")))).json().getJsonArray("nodes");
      assertThat(paris.getString(0)).as("paris agent, paris node first").isEqualTo(parisUrl);
    } finally {
      parisNode.close();
    }
  }

  /** Rows of depot_content for a blob (any depot, any state). */
  static long contentRows(String sha256) {
    var url = server.db().url();
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", url.user());
    p.setProperty("password", url.password());
    try (var c = java.sql.DriverManager.getConnection(url.jdbcUrl(), p);
        var st = c.prepareStatement("SELECT count(*) FROM depot_content WHERE sha256 = ?")) {
      st.setString(1, sha256);
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path packagesDir() {
    return server.runtime().gateway().software().blobs().dir();
  }
}
