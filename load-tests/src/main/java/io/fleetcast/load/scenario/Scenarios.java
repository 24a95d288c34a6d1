package io.fleetcast.load.scenario;

import picocli.CommandLine;

/** The scenario commands, registered on the main command line. */
public final class Scenarios {
  private Scenarios() {}

  public static void register(CommandLine cl) {
    cl.addSubcommand("connect", new ConnectCommand());
    cl.addSubcommand("fanout", new FanoutCommand());
    cl.addSubcommand("ingest", new IngestCommand());
    cl.addSubcommand("reconnect", new ReconnectCommand());
    cl.addSubcommand("idle", new IdleCommand());
    cl.addSubcommand("distribute", new DistributeCommand());
  }
}
