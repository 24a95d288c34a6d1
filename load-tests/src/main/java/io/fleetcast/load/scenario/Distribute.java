package io.fleetcast.load.scenario;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.content.ContentOptions;
import io.fleetcast.agent.facts.StaticFactsProvider;
import io.fleetcast.common.log.Kv;
import io.fleetcast.load.runner.Sleep;
import io.fleetcast.protocol.Facts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * {@code distribute}: a package of {@code packageMb} MiB to N real agents (agent-lite in this JVM)
 * spread over {@code subnets} loopback subnets (127.0.S.0/24; each agent's peer server binds its
 * own 127.0.S.x). Measures the time from the rollout's creation until every target verified and
 * ran it, the bytes from origin, depots and peers (the rollout's download report and the depot
 * meters), and the loopback rate the origin reached while distributing to the depots. Runs with
 * the peer cache on and off (a fresh package version each, so no cache helps), both in the same
 * waves: the first wave seeds each subnet's peer cache, as a canary would.
 */
public final class Distribute {
  private static final Logger LOG = Logger.getLogger(Distribute.class.getName());
  private static final Duration WAIT = Duration.ofMinutes(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** What to run. */
  public record Params(int packageMb, int subnets, boolean peersOn, boolean peersOff, List<Integer> waves) {}

  private Distribute() {}

  public static JsonObject run(RunContext ctx, Params p) {
    int n = ctx.opts.agents;
    if (n / Math.max(1, p.subnets()) > 240) {
      throw new IllegalArgumentException("at most 240 agents per subnet: raise --subnets");
    }
    JsonObject out = new JsonObject().put("agents", n).put("subnets", p.subnets()).put("packageMb", p.packageMb());
    Vertx vertx = Vertx.vertx();
    try {
      if (p.peersOn()) {
        out.put("peerCacheOn", trial(ctx, vertx, p, n, "on", true));
      }
      if (p.peersOff()) {
        out.put("peerCacheOff", trial(ctx, vertx, p, n, "off", false));
      }
    } finally {
      vertx.close().await();
    }
    ctx.report.put("distribute", out);
    for (String k : List.of("peerCacheOn", "peerCacheOff")) {
      JsonObject t = out.getJsonObject(k);
      if (t != null) {
        ctx.report.row(k + ": all verified", t.getLong("allVerifiedMs") + " ms",
            "origin " + mb(t.getLong("originBytes")), "depots " + mb(t.getLong("depotBytes")),
            "peers " + mb(t.getLong("peerBytes")));
      }
    }
    return out;
  }

  static String mb(Long bytes) {
    return bytes == null ? "-" : String.format("%.1f MB", bytes / 1e6);
  }

  private static JsonObject trial(RunContext ctx, Vertx vertx, Params p, int n, String label, boolean peers) {
    String version = label + "-" + System.currentTimeMillis();
    Path dir = ctx.runDir.resolve("distribute-" + label);
    List<AgentLite> agents = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      long size = (long) p.packageMb() << 20;
      Path file = randomFile(dir.resolve("pkg.bin"), size, version.hashCode());
      double originBefore = metric(ctx, "fleetcast_depot_bytes_served_total", "kind=\"origin\"");
      upload(ctx, file, version);
      Files.delete(file);
      ctx.api.post("/api/v1/packages/bench@" + version + "/programs", new JsonObject().put("name", "run")
          .put("command", "true"));
      long d0 = System.nanoTime();
      ctx.api.post("/api/v1/packages/bench@" + version + "/distribute", new JsonObject().put("all", true), 202);
      int depots = awaitDepots(ctx, version);
      double distributeSeconds = (System.nanoTime() - d0) / 1e9;
      double originToDepots = metric(ctx, "fleetcast_depot_bytes_served_total", "kind=\"origin\"") - originBefore;

      String token = ctx.api.post("/api/v1/enrollment-tokens", new JsonObject().put("maxUses", n)
          .put("tags", new JsonArray().add("bench-" + label))).getString("token");
      List<Future<Void>> starts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        AgentLite a = new AgentLite(vertx, options(ctx, dir, token, i, p.subnets(), peers));
        agents.add(a);
        starts.add(a.start());
      }
      Future.all(starts).await();
      long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (agents.stream().anyMatch(a -> !a.connected()) && System.nanoTime() < until) {
        Sleep.millis(100);
      }
      double originAgents0 = metric(ctx, "fleetcast_depot_bytes_served_total", "kind=\"origin\"");
      double depot0 = metric(ctx, "fleetcast_depot_bytes_served_total", "kind=\"depot\"");
      long t0 = System.nanoTime();
      String id = ctx.api.post("/api/v1/rollouts", new JsonObject().put("name", "distribute " + label)
          .put("steps", new JsonArray().add(new JsonObject().put("kind", "install").put("spec", new JsonObject()
              .put("package", "bench@" + version).put("program", "run"))))
          .put("targets", new JsonObject().put("tags", new JsonArray().add("bench-" + label)))
          .put("strategy", new JsonObject().put("waves", new JsonArray(new ArrayList<>(p.waves()))))).getString("id");
      String state = Fanout.awaitState(ctx, id, WAIT);
      long allVerifiedMs = (System.nanoTime() - t0) / 1_000_000;
      JsonObject report = ctx.api.get("/api/v1/rollouts/" + id + "/downloads?limit=1");
      JsonObject bytes = report.getJsonObject("bytes");
      double originRate = distributeSeconds > 0 ? originToDepots / distributeSeconds : 0;
      JsonObject t = new JsonObject().put("rolloutId", id).put("finalState", state)
          .put("succeeded", ctx.api.get("/api/v1/rollouts/" + id).getJsonObject("counts").getInteger("succeeded"))
          .put("allVerifiedMs", allVerifiedMs).put("depots", depots)
          .put("originBytes", (long) (metric(ctx, "fleetcast_depot_bytes_served_total", "kind=\"origin\"")
              - originBefore))
          .put("originBytesToAgents", (long) (metric(ctx, "fleetcast_depot_bytes_served_total", "kind=\"origin\"")
              - originAgents0))
          .put("depotBytes", (long) (metric(ctx, "fleetcast_depot_bytes_served_total", "kind=\"depot\"") - depot0))
          .put("peerBytes", bytes.getLong("peers")).put("reportedDepotBytes", bytes.getLong("depots"))
          .put("reportedOriginBytes", bytes.getLong("origin"))
          .put("originToDepotsSeconds", distributeSeconds).put("originLoopbackBytesPerSecond", (long) originRate)
          .put("originBytesOverPackage", round((metric(ctx, "fleetcast_depot_bytes_served_total", "kind=\"origin\"")
              - originBefore) / size));
      LOG.info(Kv.event("distribute.trial", "label", label, "result", t.encode()));
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      Future.join(agents.stream().map(AgentLite::stop).toList()).await();
      deleteTree(dir);
    }
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static AgentOptions options(RunContext ctx, Path dir, String token, int i, int subnets, boolean peers) {
    int s = 1 + (i % subnets);
    String ip = "127.0." + s + "." + (10 + i / subnets);
    ContentOptions content = ContentOptions.defaults().withSubnet("127.0." + s + ".0/24");
    if (peers) {
      content = content.withPeerServer(ip, 0, 4, 0);
    }
    return new AgentOptions().stateDir(dir.resolve("agent-" + i)).gatewayUrl(ctx.cluster.apiUrl()).enrollmentToken(token)
        .dev(true).backoffBase(Duration.ofMillis(200)).backoffCap(Duration.ofSeconds(5))
        .factsProvider(new StaticFactsProvider(new Facts("bench-" + i, "LoadTest", "x86_64", List.of(ip),
            List.of(String.format("02:00:00:%02x:%02x:%02x", s, (i >> 8) & 0xff, i & 0xff)),
            List.of("127.0." + s + ".0/24"), List.of(), List.of())))
        .content(content);
  }

  private static Path randomFile(Path file, long size, long seed) throws IOException {
    Random r = new Random(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < size; done += buf.length) {
        r.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, size - done));
      }
    }
    return file;
  }

  private static void upload(RunContext ctx, Path file, String version) throws IOException {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ctx.cluster.apiUrl()
              + "/api/v1/packages?name=bench&version=" + version + "&file=pkg.bin"))
          .header("Authorization", "Bearer " + ctx.cluster.adminToken()).timeout(Duration.ofMinutes(30))
          .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException("upload answered " + r.statusCode() + ": " + r.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until every non-origin depot holds the package; yields how many there are. */
  private static int awaitDepots(RunContext ctx, String version) {
    long until = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < until) {
      JsonArray placements = ctx.api.get("/api/v1/packages/bench@" + version).getJsonArray("depots");
      long depots = placements.stream().map(o -> (JsonObject) o).filter(d -> !d.getBoolean("origin")).count();
      long ready = placements.stream().map(o -> (JsonObject) o)
          .filter(d -> !d.getBoolean("origin") && "ready".equals(d.getString("state"))).count();
      if (depots > 0 && ready == depots) {
        return (int) depots;
      }
      Sleep.millis(100);
    }
    throw new IllegalStateException("depots did not get the package within " + WAIT);
  }

  private static double metric(RunContext ctx, String name, String label) {
    String text;
    try {
      text = HTTP.send(HttpRequest.newBuilder(URI.create(ctx.cluster.apiUrl() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      // a standalone server serves its one registry on both ports: then the API scrape is all
      if (!text.contains("role=\"standalone\"")) {
        for (String node : ctx.cluster.nodes().stream().map(h -> h.metricsUrl()).toList()) {
          text += "\n" + HTTP.send(HttpRequest.newBuilder(URI.create(node)).build(),
              HttpResponse.BodyHandlers.ofString()).body();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warning(Kv.event("distribute.cleanup_failed", "dir", dir, "error", e.getMessage()));
    }
  }
}
