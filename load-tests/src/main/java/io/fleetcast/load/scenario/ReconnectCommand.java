package io.fleetcast.load.scenario;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reconnect", mixinStandardHelpOptions = true,
    description = "Kill -9 one node mid-rollout: time until 99% and 100% of its agents are back, and no result lost.")
final class ReconnectCommand extends ScenarioCommand {
  @Option(names = "--kill-node", defaultValue = "0", description = "Index of the node to kill (default ${DEFAULT-VALUE}).")
  int killNode;

  @Option(names = "--task-min-ms", defaultValue = "1000",
      description = "Shortest simulated task run time, so results are in flight at the kill (default ${DEFAULT-VALUE}).")
  int taskMin;

  @Option(names = "--task-max-ms", defaultValue = "8000", description = "Longest simulated task run time (default ${DEFAULT-VALUE}).")
  int taskMax;

  @Option(names = "--timeout-seconds", defaultValue = "120", description = "Bound of every wait (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  void run(RunContext ctx) {
    Reconnect.run(ctx, new Reconnect.Params(killNode, taskMin, taskMax, timeoutSeconds));
  }
}
