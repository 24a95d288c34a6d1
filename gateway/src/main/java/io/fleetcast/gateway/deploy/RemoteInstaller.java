package io.fleetcast.gateway.deploy;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Puts agent-lite on one host and starts it (the SSH seam, like agent-lite's {@code OsActions}):
 * {@link MinaRemoteInstaller} in production; tests drive the real one against a real SSH server.
 * Blocking (run on a worker thread). Every failure is a {@link DeployStepException} already
 * classified with {@link ErrorClassifier}; waiting for the agent to enroll is the caller's step.
 */
public interface RemoteInstaller {

  record Request(DiscoveredHost host, SshCredentials credentials, InstallPlan plan, Path agentJar,
      String enrollmentToken) {
    @Override
    public String toString() {
      return "Request[host=" + host + ", plan=" + plan + ", credentials=" + credentials + ", token=***]";
    }
  }

  /** Installs and starts; {@code onStep} hears each step as it begins. */
  void install(Request request, Consumer<InstallStep> onStep);
}
