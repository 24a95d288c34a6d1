package io.fleetcast.load;

import io.fleetcast.common.log.LogSetup;
import io.fleetcast.load.scenario.Scenarios;
import io.fleetcast.load.worker.WorkerMain;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetcast-load <scenario>}: load scenarios against a real cluster started on this machine. */
@Command(name = "fleetcast-load", mixinStandardHelpOptions = true, version = "fleetcast-load 0.1.0",
    description = "Fleetcast load tests: connect, fanout, ingest, reconnect, idle.")
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    LogSetup.install("INFO");
    CommandLine cl = new CommandLine(new Main());
    Scenarios.register(cl);
    cl.addSubcommand("worker", new Worker());
    cl.addSubcommand("summary", new SummaryCommand());
    System.exit(cl.execute(args));
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 2;
  }

  /** The markdown performance table from the JSON reports of a results directory. */
  @Command(name = "summary", mixinStandardHelpOptions = true,
      description = "Prints the performance table (markdown) from the JSON reports in a results directory.")
  static final class SummaryCommand implements Callable<Integer> {
    @picocli.CommandLine.Parameters(defaultValue = "load-tests/results", description = "Results directory.")
    java.nio.file.Path dir;

    @Override
    public Integer call() throws Exception {
      System.out.print(io.fleetcast.load.report.Summary.markdown(dir));
      return 0;
    }
  }

  /** A generator child process, driven by the coordinator over stdin/stdout. */
  @Command(name = "worker", hidden = true)
  static final class Worker implements Callable<Integer> {
    @Option(names = "--max-seconds", defaultValue = "1800")
    long maxSeconds;

    @Override
    public Integer call() throws Exception {
      return WorkerMain.run(maxSeconds);
    }
  }
}
