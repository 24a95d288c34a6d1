package io.fleetcast.load.scenario;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "idle", mixinStandardHelpOptions = true,
    description = "CPU and memory of N idle agents answering heartbeats.")
final class IdleCommand extends ScenarioCommand {
  @Option(names = "--seconds", defaultValue = "60", description = "Measured window (default ${DEFAULT-VALUE}).")
  int seconds;

  @Override
  void run(RunContext ctx) {
    Idle.run(ctx, seconds);
  }
}
