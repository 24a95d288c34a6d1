package io.fleetcast.agent.update;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts an agent version as a child JVM: {@code <java> -cp <jar> io.fleetcast.agent.Main <args>},
 * with the install directory in {@code FLEETCAST_AGENT_INSTALL_DIR} (so the agent can update
 * itself) and the launcher's environment (the enrollment token of the first start). Output is
 * inherited: the service manager's log gets it.
 */
public final class ProcessChildLauncher implements ChildLauncher {
  public static final String INSTALL_DIR_ENV = "FLEETCAST_AGENT_INSTALL_DIR";

  private final String java;
  private final Path installDir;
  private final List<String> agentArgs;
  private final Map<String, String> extraEnv;

  public ProcessChildLauncher(String java, Path installDir, List<String> agentArgs, Map<String, String> extraEnv) {
    this.java = java;
    this.installDir = installDir;
    this.agentArgs = List.copyOf(agentArgs);
    this.extraEnv = Map.copyOf(extraEnv);
  }

  @Override
  public Child launch(Path jar, String version) {
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", jar.toString(), "io.fleetcast.agent.Main"));
    cmd.addAll(agentArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO().directory(installDir.toFile());
    pb.environment().putAll(extraEnv);
    pb.environment().put(INSTALL_DIR_ENV, installDir.toString());
    try {
      Process p = pb.start();
      CompletableFuture<Integer> exit = p.onExit().thenApply(Process::exitValue);
      return new Child() {
        @Override
        public CompletableFuture<Integer> exit() {
          return exit;
        }

        @Override
        public void kill() {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
  }
}
