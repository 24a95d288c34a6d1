package io.fleetcast.load.worker;

import io.fleetcast.load.agent.AgentFleet;
import io.fleetcast.load.agent.Credentials;
import io.fleetcast.load.agent.FleetConfig;
import io.fleetcast.load.agent.OpenLoopSchedule;
import io.fleetcast.load.baseline.FloorServer;
import io.fleetcast.load.baseline.MqttSubscribers;
import io.fleetcast.load.baseline.NatsSubscribers;
import io.fleetcast.load.baseline.Subscribers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a generator process can be told to do, as JSON commands: run simulated agents, a
 * floor server, or broker subscribers. The same commands serve a child process (over its
 * stdin/stdout) and an in-process worker, so scenarios do not care which they drive.
 * Called from one control thread.
 */
public final class Control implements AutoCloseable {
  private AgentFleet fleet;
  private FloorServer floor;
  private Subscribers subscribers;

  public JsonObject handle(String cmd, JsonObject a) {
    return switch (cmd) {
      case "pid" -> new JsonObject().put("pid", ProcessHandle.current().pid());
      case "agents.start" -> {
        closeFleet();
        fleet = new AgentFleet(FleetConfig.fromJson(a.getJsonObject("config")),
            Credentials.fromJson(a.getJsonObject("credentials")), a.getInteger("from"), a.getInteger("to"));
        yield new JsonObject().put("agents", fleet.size());
      }
      case "agents.connect" -> {
        fleet().connect(a.getDouble("rate", 0.0), a.getInteger("maxInFlight", 500));
        yield new JsonObject();
      }
      case "agents.stats" -> fleet().stats();
      case "agents.errors" -> fleet().errorKinds();
      case "agents.reset" -> {
        fleet().reset();
        yield new JsonObject();
      }
      case "agents.latencies" -> fleet().latencies(a.getLong("t0"));
      case "agents.connectLatencies" -> fleet().connectLatencies(a.getLong("t0", 0L));
      case "agents.reconnects" -> fleet().reconnects(a.getLong("since"));
      case "agents.ingest" -> {
        JsonArray chains = a.getJsonArray("chains");
        String[][] c = new String[chains.size()][];
        for (int i = 0; i < c.length; i++) {
          c[i] = chains.getJsonArray(i).stream().map(String::valueOf).toArray(String[]::new);
        }
        long periodNanos = a.getLong("periodNanos", 0L);
        if (periodNanos > 0) {
          // open loop: one chain, walked in order on a fixed schedule
          fleet().ingestOpenLoop(c[0], new OpenLoopSchedule(periodNanos), a.getLong("millis"));
        } else {
          fleet().ingest(c, a.getLong("millis"));
        }
        yield new JsonObject();
      }
      case "agents.ingestLatencies" -> fleet().ingestLatencies();
      case "agents.stop" -> {
        closeFleet();
        yield new JsonObject();
      }
      case "floor.start" -> {
        if (floor != null) {
          floor.close();
        }
        floor = new FloorServer(a.getString("host", "127.0.0.1"), a.getInteger("port"), a.getInteger("ioThreads", 0));
        yield new JsonObject().put("port", floor.port());
      }
      case "floor.broadcast" -> floor().broadcast(a.getString("frame"));
      case "floor.stats" -> floor().stats();
      case "floor.reset" -> {
        floor().reset();
        yield new JsonObject();
      }
      case "subscribers.start" -> {
        closeSubscribers();
        subscribers = startSubscribers(a);
        subscribers.connect(a.getInteger("maxInFlight", 500));
        yield new JsonObject();
      }
      case "subscribers.stats" -> subscribers().stats();
      case "subscribers.reset" -> {
        subscribers().reset();
        yield new JsonObject();
      }
      case "subscribers.latencies" -> subscribers().latencies(a.getLong("t0"));
      case "subscribers.stop" -> {
        closeSubscribers();
        yield new JsonObject();
      }
      default -> throw new IllegalArgumentException("unknown command " + cmd);
    };
  }

  private static Subscribers startSubscribers(JsonObject a) {
    String kind = a.getString("kind");
    String host = a.getString("host", "127.0.0.1");
    int port = a.getInteger("port");
    String topic = a.getString("topic");
    String sources = a.getString("sources");
    int from = a.getInteger("from");
    int to = a.getInteger("to");
    int threads = a.getInteger("ioThreads", 1);
    return switch (kind) {
      case "mqtt" -> new MqttSubscribers(host, port, topic, sources, from, to, threads);
      case "nats" -> new NatsSubscribers(host, port, topic, sources, from, to, threads);
      default -> throw new IllegalArgumentException("unknown subscriber kind " + kind);
    };
  }

  private AgentFleet fleet() {
    if (fleet == null) {
      throw new IllegalStateException("no agents started");
    }
    return fleet;
  }

  private FloorServer floor() {
    if (floor == null) {
      throw new IllegalStateException("no floor server started");
    }
    return floor;
  }

  private Subscribers subscribers() {
    if (subscribers == null) {
      throw new IllegalStateException("no subscribers started");
    }
    return subscribers;
  }

  private void closeFleet() {
    if (fleet != null) {
      fleet.close();
      fleet = null;
    }
  }

  private void closeSubscribers() {
    if (subscribers != null) {
      subscribers.close();
      subscribers = null;
    }
  }

  @Override
  public void close() {
    closeFleet();
    closeSubscribers();
    if (floor != null) {
      floor.close();
      floor = null;
    }
  }
}
