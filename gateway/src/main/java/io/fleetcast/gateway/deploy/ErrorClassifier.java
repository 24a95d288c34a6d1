package io.fleetcast.gateway.deploy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Maps what went wrong in an install step to exactly one {@link DeployError}. Pure: no sockets,
 * no SSH library types; the installer reports the step it was in and the exception it got
 * (or a {@link DeployStepException} when it already knows). The step matters: a timeout while
 * connecting is {@code connection_timeout}, while waiting for the agent {@code agent_not_connected}.
 */
public final class ErrorClassifier {

  private ErrorClassifier() {}

  public static DeployFailure classify(InstallStep step, Throwable error) {
    String message = describe(error);
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DeployStepException d) {
        return d.failure();
      }
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return DeployFailure.of(DeployError.DNS_RESOLUTION_FAILURE, message);
      }
      if (t instanceof NoRouteToHostException || t instanceof PortUnreachableException) {
        return DeployFailure.of(DeployError.HOST_UNREACHABLE, message);
      }
      if (t instanceof ConnectException) {
        return DeployFailure.of(refused(t) ? DeployError.CONNECTION_REFUSED : DeployError.HOST_UNREACHABLE, message);
      }
      if (t instanceof AccessDeniedException || (t instanceof FileSystemException && step == InstallStep.COPY)) {
        return DeployFailure.of(DeployError.FILE_ACCESS_FAILURE, message);
      }
      if (isTimeout(t)) {
        return DeployFailure.of(onTimeout(step), message);
      }
    }
    return DeployFailure.of(byStep(step, error), message);
  }

  /** An installer command that exited non-zero. */
  public static DeployFailure installerExit(String what, int exitCode, String outputTail) {
    return new DeployFailure(DeployError.INSTALLATION_ERROR, what + " exited with code " + exitCode, exitCode,
        outputTail);
  }

  private static DeployError onTimeout(InstallStep step) {
    return switch (step) {
      case RESOLVE, CONNECT, LOGON -> DeployError.CONNECTION_TIMEOUT;
      case COPY -> DeployError.FILE_ACCESS_FAILURE;
      case PREREQUISITES, INSTALL_SERVICE, START -> DeployError.INSTALLATION_ERROR;
      case WAIT_FOR_AGENT -> DeployError.AGENT_NOT_CONNECTED;
    };
  }

  /** Nothing more specific in the cause chain: what a failure of this step means. */
  private static DeployError byStep(InstallStep step, Throwable error) {
    boolean io = hasIo(error);
    return switch (step) {
      case RESOLVE -> DeployError.DNS_RESOLUTION_FAILURE;
      case CONNECT -> io ? DeployError.HOST_UNREACHABLE : DeployError.UNKNOWN;
      // the installer only authenticates in this step: a refusal there is the credentials'
      case LOGON -> DeployError.LOGON_FAILURE;
      case COPY -> io ? DeployError.FILE_ACCESS_FAILURE : DeployError.UNKNOWN;
      case WAIT_FOR_AGENT -> DeployError.AGENT_NOT_CONNECTED;
      default -> DeployError.UNKNOWN;
    };
  }

  private static boolean hasIo(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static boolean refused(Throwable t) {
    String m = t.getMessage();
    return m == null || m.toLowerCase(Locale.ROOT).contains("refused");
  }

  private static boolean isTimeout(Throwable t) {
    if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
      return true;
    }
    String m = t.getMessage();
    return m != null && (m.toLowerCase(Locale.ROOT).contains("timed out") || m.toLowerCase(Locale.ROOT).contains("timeout"));
  }

  private static String describe(Throwable error) {
    String m = error.getMessage();
    String text = error.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    return text.length() > 512 ? text.substring(0, 512) : text;
  }
}
