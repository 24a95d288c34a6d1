package io.fleetcast.fleetctl;

import io.fleetcast.fleetctl.api.ApiException;
import io.fleetcast.fleetctl.commands.AgentsCommand;
import io.fleetcast.fleetctl.commands.ClusterCommand;
import io.fleetcast.fleetctl.commands.DeployCommand;
import io.fleetcast.fleetctl.commands.LoginCommand;
import io.fleetcast.fleetctl.commands.RolloutCommand;
import io.fleetcast.fleetctl.commands.ScheduleCommand;
import io.fleetcast.fleetctl.commands.TokensCommand;
import io.fleetcast.fleetctl.commands.WakeCommand;
import io.fleetcast.fleetctl.output.ProblemPrinter;
import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fleetctl}: the Fleetcast ops REST API from a terminal or a script. */
@Command(name = "fleetctl", mixinStandardHelpOptions = true, version = "fleetctl 0.1.0",
    description = "Operate a Fleetcast cluster: rollouts, schedules, groups, packages, agents, deployments, wake-up, tokens, nodes.",
    subcommands = {LoginCommand.class, AgentsCommand.class, RolloutCommand.class, ScheduleCommand.class,
        io.fleetcast.fleetctl.commands.GroupCommand.class, io.fleetcast.fleetctl.commands.PackageCommand.class,
        WakeCommand.class, TokensCommand.class, ClusterCommand.class, DeployCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success (rollout watch: the rollout ended and every target succeeded)",
        "1:server error, conflict or network trouble",
        "2:invalid command line or request (HTTP 400)",
        "3:not logged in, bad token (401) or role too low (403)",
        "4:not found (404)",
        "5:rollout watch: a target did not succeed, or the rollout halted or was cancelled; deploy watch: some hosts failed"},
    footer = {"%nLogin: 'fleetctl login --url URL --token TOKEN' saves both to $FLEETCTL_CONFIG "
        + "(default ~/.config/fleetcast/fleetctl.json, mode 0600); FLEETCTL_URL / FLEETCTL_TOKEN or "
        + "--url / --token override it."})
public final class Fleetctl {

  public static void main(String[] args) {
    System.exit(run(Context.system(), args));
  }

  /** Runs one command line; never exits the JVM, so tests call it directly. */
  public static int run(Context ctx, String... args) {
    int code = commandLine(ctx).execute(args);
    ctx.out().flush();
    ctx.err().flush();
    return code;
  }

  /** The command tree, wired to {@code ctx}; tests parse documented command lines with it. */
  static CommandLine commandLine(Context ctx) {
    CommandLine cli = new CommandLine(new Fleetctl(), new ContextFactory(ctx));
    cli.setOut(ctx.out());
    cli.setErr(ctx.err());
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, ctx));
    return cli;
  }

  private static int report(Exception ex, Context ctx) {
    if (ex instanceof ApiException api) {
      ProblemPrinter.print(api, ctx.err());
      return ExitCodes.forStatus(api.status());
    }
    if (ex instanceof CliException cli) {
      ctx.err().println("fleetctl: " + cli.getMessage());
      return cli.exitCode();
    }
    ctx.err().println("fleetctl: unexpected error: " + ex);
    return ExitCodes.FAILURE;
  }

  /** Hands the {@link Context} to every command that takes one in its constructor. */
  private record ContextFactory(Context ctx) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        Constructor<K> c = cls.getDeclaredConstructor(Context.class);
        c.setAccessible(true);
        return c.newInstance(ctx);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
