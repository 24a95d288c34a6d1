package io.fleetcast.load.scenario;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "connect", mixinStandardHelpOptions = true,
    description = "N agents connect: connect rate, time to all connected, heap and RSS per connection on the nodes.")
final class ConnectCommand extends ScenarioCommand {
  @Option(names = "--settle-seconds", defaultValue = "5",
      description = "Wait after all connected before reading memory (default ${DEFAULT-VALUE}).")
  int settleSeconds;

  @Option(names = "--class-histogram", defaultValue = "0",
      description = "Profiling: record the N biggest classes of each node's live heap (default off).")
  int histogramClasses;

  @Override
  void run(RunContext ctx) {
    Connect.run(ctx, settleSeconds, histogramClasses);
  }
}
