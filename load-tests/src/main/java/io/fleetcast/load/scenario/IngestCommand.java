package io.fleetcast.load.scenario;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Sustained results per second made durable in Postgres, and result -> resultAck latency: closed loop, "
        + "or open loop at a fixed offered rate with --rate.")
final class IngestCommand extends ScenarioCommand {
  @Option(names = "--seconds", defaultValue = "30", description = "Measured window (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "10", description = "Unmeasured ramp-up (default ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(names = "--rate", defaultValue = "0",
      description = "Open loop: results per second offered by all agents together on a fixed schedule, whether or not "
          + "the server keeps up (each agent one result every agents/rate s); 0 = closed loop (default ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--chains", defaultValue = "1",
      description = "Closed loop: concurrent multi-step jobs per agent, i.e. results in flight per agent (default ${DEFAULT-VALUE}).")
  int chains;

  @Option(names = "--expected-per-second", defaultValue = "60000",
      description = "Closed loop: sizes the pre-provisioned steps so that no agent runs out; the open loop sizes them "
          + "from --rate (default ${DEFAULT-VALUE}).")
  int expectedPerSecond;

  @Override
  void run(RunContext ctx) {
    Ingest.run(ctx, new Ingest.Params(seconds, warmupSeconds, chains, expectedPerSecond, rate));
  }
}
