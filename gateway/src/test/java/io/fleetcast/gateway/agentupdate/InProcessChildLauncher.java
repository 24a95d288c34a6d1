package io.fleetcast.gateway.agentupdate;

import io.fleetcast.agent.AgentLite;
import io.fleetcast.agent.config.AgentOptions;
import io.fleetcast.agent.update.ChildLauncher;
import io.fleetcast.agent.update.SelfRestart;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs each "agent version" as an in-process {@link AgentLite} instead of a child JVM, so the
 * real {@code Supervisor} (swap, deadline, rollback) and the real agent update logic (download,
 * hash, signature, pending update, confirmation) run for 20 agents on a loaded machine. A test
 * build is a small text file standing in for the jar: {@code version=X} is what the agent
 * reports, {@code starts=false} makes it fail at start like a broken jar. Restart = the agent
 * halts as if killed (no goodbye), then the supervisor starts the next instance.
 */
final class InProcessChildLauncher implements ChildLauncher {
  private final Vertx vertx;
  private final Supplier<AgentOptions> options;

  InProcessChildLauncher(Vertx vertx, Supplier<AgentOptions> options) {
    this.vertx = vertx;
    this.options = options;
  }

  static String build(String version, boolean starts) {
    return "fleetcast-test-build\nversion=" + version + "\nstarts=" + starts + "\n";
  }

  @Override
  public Child launch(Path jar, String slot) {
    String text;
    try {
      text = Files.readString(jar);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    if (text.contains("starts=false")) {
      exit.complete(1); // like a jar whose main class does not load
      return child(exit, null);
    }
    String version = text.lines().filter(l -> l.startsWith("version=")).findFirst().orElseThrow().substring(8);
    AgentLite[] agent = {null};
    AgentOptions o = options.get().version(version).selfRestart(() -> agent[0].halt());
    agent[0] = new AgentLite(vertx, o);
    agent[0].stopped().onComplete(ar -> exit.complete(SelfRestart.EXIT_CODE));
    agent[0].start().onFailure(e -> exit.complete(2));
    return child(exit, agent[0]);
  }

  private static Child child(CompletableFuture<Integer> exit, AgentLite agent) {
    return new Child() {
      @Override
      public CompletableFuture<Integer> exit() {
        return exit;
      }

      @Override
      public void kill() {
        if (agent != null) {
          agent.halt();
        } else {
          exit.complete(137);
        }
      }
    };
  }
}
