package io.fleetcast.load.scenario;

import io.fleetcast.common.log.Kv;
import io.fleetcast.load.report.RunReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A scenario as a command: starts the cluster and generators, runs, writes the JSON report
 * and the table, and stops every process it started, also when it fails or is interrupted.
 */
abstract class ScenarioCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(ScenarioCommand.class.getName());

  @Mixin
  CommonOptions opts;

  @Spec
  CommandSpec spec;

  abstract void run(RunContext ctx);

  @Override
  public Integer call() {
    String name = spec.name();
    RunReport report = new RunReport(name, String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    RunContext ctx = RunContext.start(opts, report);
    Thread cleanup = new Thread(ctx::close, "load-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    int rc = 0;
    try {
      run(ctx);
    } catch (RuntimeException e) {
      LOG.severe(Kv.event("scenario.failed", "scenario", name, "error", String.valueOf(e)));
      report.put("error", String.valueOf(e));
      rc = 1;
    } finally {
      report.put("contention", ctx.contention());
      Path file = report.write(opts.resultsDir());
      System.out.println();
      System.out.print(report.table());
      System.out.println("report: " + file.toAbsolutePath());
      ctx.close();
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    return rc;
  }
}
