package io.fleetcast.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** One case per error type of the table, from the exceptions the installer really sees. */
class ErrorClassifierTest {

  /** An unknown name is dns_resolution_failure, whatever step it surfaced in. */
  @Test
  void dns() {
    assertThat(ErrorClassifier.classify(InstallStep.RESOLVE, new UnknownHostException("pc1.invalid")).type())
        .isEqualTo(DeployError.DNS_RESOLUTION_FAILURE);
    assertThat(ErrorClassifier.classify(InstallStep.CONNECT,
        new IOException("wrapped", new UnknownHostException("x"))).type()).isEqualTo(DeployError.DNS_RESOLUTION_FAILURE);
  }

  /** No route to host is host_unreachable. */
  @Test
  void unreachable() {
    assertThat(ErrorClassifier.classify(InstallStep.CONNECT, new NoRouteToHostException("No route to host")).type())
        .isEqualTo(DeployError.HOST_UNREACHABLE);
  }

  /** Refused is connection_refused; a timeout while connecting or greeting is connection_timeout. */
  @Test
  void refusedAndTimeout() {
    assertThat(ErrorClassifier.classify(InstallStep.CONNECT, new ConnectException("Connection refused")).type())
        .isEqualTo(DeployError.CONNECTION_REFUSED);
    assertThat(ErrorClassifier.classify(InstallStep.CONNECT, new SocketTimeoutException("connect timed out")).type())
        .isEqualTo(DeployError.CONNECTION_TIMEOUT);
    assertThat(ErrorClassifier.classify(InstallStep.LOGON, new IOException("DefaultAuthFuture[ssh-connection]: Failed (TimeoutException) to get operation result within specified timeout: 3000")).type())
        .isEqualTo(DeployError.CONNECTION_TIMEOUT);
  }

  /** An authentication refusal in the logon step is logon_failure. */
  @Test
  void logon() {
    assertThat(ErrorClassifier.classify(InstallStep.LOGON, new IOException("No more authentication methods available")).type())
        .isEqualTo(DeployError.LOGON_FAILURE);
  }

  /** Known failures pass through unchanged: host_key_mismatch, prerequisite_missing. */
  @Test
  void knownFailuresPassThrough() {
    assertThat(ErrorClassifier.classify(InstallStep.LOGON,
        DeployStepException.of(DeployError.HOST_KEY_MISMATCH, "changed")).type()).isEqualTo(DeployError.HOST_KEY_MISMATCH);
    assertThat(ErrorClassifier.classify(InstallStep.PREREQUISITES,
        DeployStepException.of(DeployError.PREREQUISITE_MISSING, "no java")).type())
        .isEqualTo(DeployError.PREREQUISITE_MISSING);
  }

  /** Access denied, or an I/O failure while copying, is file_access_failure. */
  @Test
  void fileAccess() {
    assertThat(ErrorClassifier.classify(InstallStep.COPY, new AccessDeniedException("/opt/x")).type())
        .isEqualTo(DeployError.FILE_ACCESS_FAILURE);
    assertThat(ErrorClassifier.classify(InstallStep.COPY, new IOException("SFTP error (SSH_FX_PERMISSION_DENIED)")).type())
        .isEqualTo(DeployError.FILE_ACCESS_FAILURE);
  }

  /** A non-zero installer exit is installation_error with the exit code and the output tail. */
  @Test
  void installationError() {
    DeployFailure f = ErrorClassifier.installerExit("service registration", 1, "x".repeat(10_000) + "boom");
    assertThat(f.type()).isEqualTo(DeployError.INSTALLATION_ERROR);
    assertThat(f.exitCode()).isEqualTo(1);
    assertThat(f.outputTail()).endsWith("boom").hasSize(DeployFailure.MAX_TAIL);
    assertThat(ErrorClassifier.classify(InstallStep.START, new InterruptedIOException("command timed out")).type())
        .isEqualTo(DeployError.INSTALLATION_ERROR);
  }

  /** Waiting for the agent and timing out is agent_not_connected. */
  @Test
  void agentNotConnected() {
    assertThat(ErrorClassifier.classify(InstallStep.WAIT_FOR_AGENT, new TimeoutException("no enrollment")).type())
        .isEqualTo(DeployError.AGENT_NOT_CONNECTED);
  }

  /** Anything else is unknown, with the original message as detail. */
  @Test
  void unknown() {
    DeployFailure f = ErrorClassifier.classify(InstallStep.PREREQUISITES, new IllegalStateException("weird"));
    assertThat(f.type()).isEqualTo(DeployError.UNKNOWN);
    assertThat(f.detail()).contains("weird");
  }
}
