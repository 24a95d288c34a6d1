package io.fleetcast.load.baseline;

import io.fleetcast.common.log.Kv;
import io.fleetcast.load.agent.FleetConfig;
import io.fleetcast.load.report.Contention;
import io.fleetcast.load.report.Delivery;
import io.fleetcast.load.report.Trials;
import io.fleetcast.load.runner.Generators;
import io.fleetcast.load.runner.Sleep;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The side-by-side baselines of a fan-out: the same clients, the same payload, the same
 * generator processes, one after the other on the same machine. Each trial is preceded by a
 * discarded warm-up. A broker that does not answer is skipped, never an error.
 */
public final class Baselines {
  private static final Logger LOG = Logger.getLogger(Baselines.class.getName());
  /** A single broker process here can hold at most this many clients (20,000 open files per process). */
  static final int BROKER_CLIENT_LIMIT = 19_900;
  private static final Duration WAIT = Duration.ofSeconds(120);

  /**
   * How long the floor's clients may take to connect: 120 s, or 4 ms per client where more (a
   * 2-core box connected 100,000 at ~550/s, clients backing off after refused attempts, and
   * missed a flat 120 s twice). The run's own time limit still bounds it.
   */
  static Duration connectWait(int clients) {
    return Duration.ofMillis(Math.max(WAIT.toMillis(), 4L * clients));
  }

  private final Generators gens;
  private final BaselineOptions o;

  public Baselines(Generators gens, BaselineOptions options) {
    this.gens = gens;
    this.o = options;
  }

  /** A task frame like {@code frame} with a fresh task id, so every trial is a new task to the clients. */
  public static String withNewTaskId(String frame) {
    int at = frame.indexOf("\"taskId\":\"") + 10;
    return frame.substring(0, at) + UUID.randomUUID() + frame.substring(frame.indexOf('"', at));
  }

  /** Floor: the same agents on minimal WebSocket servers (one per node), one pre-encoded frame written to all. */
  public JsonObject floor(String frame) {
    int n = o.clients();
    Generators servers = Generators.processes("floor", o.servers(), o.serverJvm(), o.runDir(), o.maxSeconds());
    try {
      List<String> urls = new ArrayList<>();
      for (int i = 0; i < o.servers(); i++) {
        int port = servers.get(i).call("floor.start", new JsonObject().put("port", o.floorPort() + i)
            .put("ioThreads", o.serverThreads())).getInteger("port");
        urls.add("ws://127.0.0.1:" + port + "/agent/v1");
      }
      FleetConfig cfg = new FleetConfig(urls, o.sources(), 1000, 60_000, 0, 0, o.generatorThreads(), 10_000, o.ackGraceMillis());
      // the floor checks no credential: any well-formed one will do
      JsonObject creds = new JsonObject().put("mode", "derived").put("seed", 7L)
          .put("key", Base64.getEncoder().encodeToString(new byte[32]));
      gens.perSlice(n, "agents.start", (from, to) -> new JsonObject().put("config", cfg.toJson()).put("credentials", creds));
      gens.callAll("agents.connect", new JsonObject().put("rate", 0.0).put("maxInFlight", o.maxHandshakes()));
      JsonObject s = gens.await("agents.stats", x -> x.getLong("connected", 0L) >= n, connectWait(n), 50);
      if (s.getLong("connected", 0L) < n) {
        return failed("only " + s.getLong("connected") + " of " + n + " clients connected to the floor servers");
      }
      Trials trials = new Trials();
      for (int r = 0; r < o.warmups() + o.repeat(); r++) {
        servers.callAll("floor.reset", new JsonObject());
        gens.callAll("agents.reset", new JsonObject());
        JsonObject before = gens.sum("agents.stats");
        long tasksBefore = before.getLong("tasks", 0L);
        long acksBefore = before.getLong("resultAcks", 0L);
        String f = withNewTaskId(frame);
        Contention cpu = new Contention(() -> java.util.Map.of("floor", servers.pids(), "generators", gens.pids()));
        long t0 = System.nanoTime();
        for (int i = 0; i < o.servers(); i++) {
          servers.get(i).call("floor.broadcast", new JsonObject().put("frame", f));
        }
        gens.await("agents.stats", x -> x.getLong("tasks", 0L) - tasksBefore >= n, WAIT, 5);
        // clients with an ack grace answer a task they finish at once by its result alone (as Fleetcast's do)
        String answer = o.ackGraceMillis() > 0 ? "results" : "acks";
        String lastAnswer = o.ackGraceMillis() > 0 ? "lastResultNanos" : "lastAckNanos";
        JsonObject fs = servers.await("floor.stats", x -> x.getLong(answer, 0L) >= n && x.getLong("results", 0L) >= n,
            WAIT, 5);
        gens.await("agents.stats", x -> x.getLong("resultAcks", 0L) - acksBefore >= n, WAIT, 5);
        long lastAck = servers.collect("floor.stats", new JsonObject()).stream()
            .mapToLong(j -> j.getLong(lastAnswer, 0L)).max().orElse(0);
        JsonObject cpuUsed = cpu.finish();
        List<JsonObject> lat = gens.collect("agents.latencies", new JsonObject().put("t0", t0));
        JsonObject trial = new JsonObject().put("delivered", Delivery.of(lat, "task", t0)).put("cpu", cpuUsed)
            .put("cpuMicrosPerTask", io.fleetcast.load.report.CpuPer.unit(cpuUsed, n))
            .put("allAckedMs", fs.getLong(answer, 0L) >= n ? Delivery.millis(lastAck - t0) : null)
            .put("answeredBy", answer)
            .put("resultAcked", Delivery.of(lat, "resultAck", t0));
        if (r >= o.warmups()) {
          trials.add(trial);
        }
        LOG.info(Kv.event("baseline.floor", "trial", r, "warmup", r < o.warmups(), "result", trial.encode()));
      }
      gens.callAll("agents.stop", new JsonObject());
      return trials.toJson("delivered.wholeFleetMs", "allAckedMs", "delivered.p99Ms", "cpuMicrosPerTask.total")
          .put("clients", n).put("servers", o.servers());
    } finally {
      servers.close();
    }
  }

  public JsonObject mosquitto(String frame) {
    return broker("mqtt", o.mqttHost(), o.mqttPort(), "fcload/" + UUID.randomUUID().toString().substring(0, 8), frame);
  }

  public JsonObject nats(String frame) {
    return broker("nats", o.natsHost(), o.natsPort(), "fcload." + UUID.randomUUID().toString().substring(0, 8), frame);
  }

  /** N subscribers, one publish (QoS 1 for MQTT), time until all received it and until all their acks came back. */
  private JsonObject broker(String kind, String host, int port, String topic, String frame) {
    int n = o.clients();
    if (!answers(host, port)) {
      return skipped("nothing listens on " + host + ":" + port);
    }
    if (n > BROKER_CLIENT_LIMIT) {
      return skipped(n + " clients: a single broker process holds at most ~" + BROKER_CLIENT_LIMIT
          + " here (20,000 open files per process)");
    }
    gens.perSlice(n, "subscribers.start", (from, to) -> new JsonObject().put("kind", kind).put("host", host)
        .put("port", port).put("topic", topic).put("sources", o.sources()).put("ioThreads", o.generatorThreads())
        .put("maxInFlight", o.maxHandshakes()));
    try {
      JsonObject s = gens.await("subscribers.stats", x -> x.getLong("ready", 0L) >= n, WAIT, 50);
      if (s.getLong("ready", 0L) < n) {
        return failed("only " + s.getLong("ready") + " of " + n + " " + kind + " subscribers ready: " + s.encode());
      }
      try (BrokerProbe probe = kind.equals("mqtt") ? new MqttProbe(host, port, topic) : new NatsProbe(host, port, topic)) {
        Trials trials = new Trials();
        for (int r = 0; r < o.warmups() + o.repeat(); r++) {
          gens.callAll("subscribers.reset", new JsonObject());
          long before = gens.sum("subscribers.stats").getLong("messages", 0L);
          Contention cpu = new Contention(() -> java.util.Map.of("generators", gens.pids()));
          long t0 = probe.publish(withNewTaskId(frame), r + 1);
          gens.await("subscribers.stats", x -> x.getLong("messages", 0L) - before >= n, WAIT, 5);
          awaitCount(probe::replies, n, WAIT);
          JsonObject cpuUsed = cpu.finish();
          List<JsonObject> lat = gens.collect("subscribers.latencies", new JsonObject().put("t0", t0));
          JsonObject trial = new JsonObject().put("delivered", Delivery.of(lat, null, t0)).put("cpu", cpuUsed)
              .put("allAckedMs", probe.replies() >= n ? Delivery.millis(probe.lastReplyNanos() - t0) : null);
          if (r >= o.warmups()) {
            trials.add(trial);
          }
          LOG.info(Kv.event("baseline." + kind, "trial", r, "warmup", r < o.warmups(), "result", trial.encode()));
        }
        return trials.toJson("delivered.wholeFleetMs", "allAckedMs", "delivered.p99Ms").put("clients", n)
            .put("broker", host + ":" + port);
      } catch (Exception e) {
        return failed(kind + " probe: " + e);
      }
    } finally {
      gens.callAll("subscribers.stop", new JsonObject());
    }
  }

  private static void awaitCount(LongSupplier count, long n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count.getAsLong() < n && System.nanoTime() < deadline) {
      Sleep.millis(5);
    }
  }

  static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static JsonObject skipped(String why) {
    LOG.info(Kv.event("baseline.skipped", "why", why));
    return new JsonObject().put("skipped", why);
  }

  static JsonObject failed(String why) {
    LOG.warning(Kv.event("baseline.failed", "why", why));
    return new JsonObject().put("failed", why);
  }
}
