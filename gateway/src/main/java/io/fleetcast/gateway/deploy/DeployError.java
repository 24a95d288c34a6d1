package io.fleetcast.gateway.deploy;

import java.util.Arrays;
import java.util.Optional;

/**
 * The fixed error table of remote installs: every failed host carries exactly one of these,
 * with a cause and a solution text the API, fleetctl and the console show. The README's
 * "Installing agents" table is checked against this enum by a test.
 */
public enum DeployError {
  DNS_RESOLUTION_FAILURE("dns_resolution_failure",
      "The host name could not be resolved to an address.",
      "Check the name in the CSV or directory, the DNS suffix, or give the IP address."),
  HOST_UNREACHABLE("host_unreachable",
      "No route to the host: it is off, disconnected, or a firewall rejects it.",
      "Power the machine on, check routing and firewalls between the gateway and the host."),
  CONNECTION_TIMEOUT("connection_timeout",
      "The host did not answer the SSH connection (or its greeting) in time.",
      "Check that the SSH server runs and that no firewall silently drops port 22; raise the connect timeout on slow links."),
  CONNECTION_REFUSED("connection_refused",
      "The host refused the connection: nothing listens on the SSH port.",
      "Start the SSH server (Windows: the OpenSSH Server feature) or give the right port."),
  LOGON_FAILURE("logon_failure",
      "The SSH server rejected the user name, password or key.",
      "Check the credentials of the job and that the account may log on over SSH."),
  HOST_KEY_MISMATCH("host_key_mismatch",
      "The host's SSH key differs from the one pinned at the first connection.",
      "Verify the machine was reinstalled (not impersonated), then remove its pinned key and retry."),
  FILE_ACCESS_FAILURE("file_access_failure",
      "The install directory could not be created or written, or the file copy failed.",
      "Give the account write access to the install directory, or choose another one; check free disk space."),
  PREREQUISITE_MISSING("prerequisite_missing",
      "A prerequisite is missing on the host (no Java runtime, no supported service manager).",
      "Install Java 17 or newer, or configure a bundled runtime path for the job."),
  INSTALLATION_ERROR("installation_error",
      "The installer ran and failed; its exit code and the tail of its output are shown.",
      "Read the output tail; fix the cause on the host (permissions, service manager) and retry."),
  AGENT_NOT_CONNECTED("agent_not_connected",
      "The agent was installed and started but never enrolled with the gateway.",
      "Check that the host reaches the gateway URL (firewall, proxy, TLS pin) and read the agent's log."),
  UNKNOWN("unknown",
      "An unexpected error; the detail holds the original message.",
      "Read the detail and the gateway log; report it if it persists.");

  private final String wire;
  private final String cause;
  private final String solution;

  DeployError(String wire, String cause, String solution) {
    this.wire = wire;
    this.cause = cause;
    this.solution = solution;
  }

  public String wire() {
    return wire;
  }

  public String cause() {
    return cause;
  }

  public String solution() {
    return solution;
  }

  /**
   * Whether another attempt (after back-off) may succeed without anyone changing anything: the
   * network's transient failures. A logon failure is never retried (account lockout policies).
   */
  public boolean retryable() {
    return this == CONNECTION_TIMEOUT || this == HOST_UNREACHABLE || this == CONNECTION_REFUSED || this == UNKNOWN;
  }

  public static Optional<DeployError> fromWire(String s) {
    return Arrays.stream(values()).filter(e -> e.wire.equals(s)).findFirst();
  }
}
