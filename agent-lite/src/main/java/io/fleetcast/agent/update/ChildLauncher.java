package io.fleetcast.agent.update;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** Starts one agent version for the {@link Supervisor}: a child JVM in production, an in-process agent in tests. */
public interface ChildLauncher {

  /** A running agent. */
  interface Child {
    /** Completes with the exit code when the agent ended. */
    CompletableFuture<Integer> exit();

    /** Ends it now (the new version missed its deadline). */
    void kill();
  }

  Child launch(Path jar, String version);
}
