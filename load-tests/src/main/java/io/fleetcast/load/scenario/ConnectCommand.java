package io.fleetcast.load.scenario;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "connect", mixinStandardHelpOptions = true,
    description = "N agents connect: connect rate, time to all connected, heap and RSS per connection on the nodes.")
final class ConnectCommand extends ScenarioCommand {
  @Option(names = "--settle-seconds", defaultValue = "5",
      description = "Wait after all connected before reading memory (default ${DEFAULT-VALUE}).")
  int settleSeconds;

  @Override
  void run(RunContext ctx) {
    Connect.run(ctx, settleSeconds);
  }
}
