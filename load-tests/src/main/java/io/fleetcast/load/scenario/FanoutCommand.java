package io.fleetcast.load.scenario;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fanout", mixinStandardHelpOptions = true,
    description = "One rollout to all connected agents: time to every agent holding the task and to every result "
        + "committed, beside the floor, Mosquitto and NATS baselines.")
final class FanoutCommand extends ScenarioCommand {
  @Option(names = "--repeat", defaultValue = "3", description = "Measured trials, after the warm-ups (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--warmups", defaultValue = "1",
      description = "Discarded trials before the measured ones, for ours and each baseline alike (default ${DEFAULT-VALUE}).")
  int warmups;

  @Option(names = "--baselines", split = ",", defaultValue = "floor,mosquitto,nats",
      description = "Baselines to run: floor, mosquitto, nats, none (default ${DEFAULT-VALUE}).")
  java.util.List<String> baselines;

  @Option(names = "--mqtt", defaultValue = "127.0.0.1:1883", description = "Mosquitto address (default ${DEFAULT-VALUE}).")
  String mqtt;

  @Option(names = "--nats", defaultValue = "127.0.0.1:4222", description = "NATS address (default ${DEFAULT-VALUE}).")
  String nats;

  @Override
  void run(RunContext ctx) {
    String[] m = mqtt.split(":");
    String[] n = nats.split(":");
    Fanout.run(ctx, new Fanout.Params(warmups, repeat, baselines.contains("floor"), baselines.contains("mosquitto"),
        baselines.contains("nats"), m[0], Integer.parseInt(m[1]), n[0], Integer.parseInt(n[1])));
  }
}
