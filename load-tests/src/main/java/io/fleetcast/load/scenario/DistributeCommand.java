package io.fleetcast.load.scenario;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "distribute", mixinStandardHelpOptions = true,
    description = "One package to every agent (real agent-lite instances in this JVM, spread over loopback subnets): "
        + "time until all verified, bytes from origin, depots and peers; then the same with the peer cache off.")
final class DistributeCommand extends ScenarioCommand {
  @Option(names = "--package-mb", defaultValue = "100", description = "Package size in MiB (default ${DEFAULT-VALUE}).")
  int packageMb;

  @Option(names = "--subnets", defaultValue = "10", description = "Loopback subnets 127.0.S.0/24 (default ${DEFAULT-VALUE}).")
  int subnets;

  @Option(names = "--peer-cache", split = ",", defaultValue = "on,off",
      description = "Runs: on (agents serve peers), off (depots only), or both (default ${DEFAULT-VALUE}).")
  java.util.List<String> peerCache;

  @Option(names = "--waves", split = ",", defaultValue = "1,10,100",
      description = "Rollout waves in percent, both runs (default ${DEFAULT-VALUE}).")
  java.util.List<Integer> waves;

  @Override
  void run(RunContext ctx) {
    Distribute.run(ctx, new Distribute.Params(packageMb, subnets, peerCache.contains("on"), peerCache.contains("off"),
        waves));
  }
}
