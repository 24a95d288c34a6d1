package io.fleetcast.agent.update;

import io.fleetcast.agent.log.AgentLogging;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -cp fleetcast-agent-lite.jar io.fleetcast.agent.update.Launcher --install-dir DIR -- <agent args>}:
 * what the service manager runs. Small and never swapped itself; it runs the agent version named
 * in {@code DIR/current} as a child JVM and does the swap and the rollback of self-updates.
 */
@Command(name = "fleetcast-agent-launcher", mixinStandardHelpOptions = true,
    description = "Runs agent-lite as a child process and swaps versions on self-update, rolling back a version that does not connect.")
public final class Launcher implements Callable<Integer> {

  @Option(names = "--install-dir", required = true, description = "The agent's install directory.")
  Path installDir;

  @Option(names = "--env-file", description = "KEY=VALUE lines added to the agent's environment (Windows scheduled task).")
  Path envFile;

  @Option(names = "--java", description = "Java to run the agent with (default: the launcher's).")
  String java = ProcessHandle.current().info().command().orElse("java");

  @Option(names = "--max-starts", defaultValue = "100000", description = "Bound on agent starts (${DEFAULT-VALUE}).")
  int maxStarts;

  @Parameters(description = "Arguments of agent-lite (after --).")
  List<String> agentArgs = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new Launcher()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    AgentLogging.install(Level.INFO);
    Map<String, String> env = new HashMap<>();
    if (envFile != null && Files.exists(envFile)) {
      for (String line : Files.readAllLines(envFile)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
    }
    Supervisor s = new Supervisor(new UpdateSlots(installDir), new ProcessChildLauncher(java, installDir, agentArgs, env),
        maxStarts, Duration.ofSeconds(60));
    Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "fleetcast-launcher-stop"));
    return s.run();
  }

  @Override
  public String toString() {
    return "Launcher" + Arrays.asList(installDir, agentArgs);
  }
}
