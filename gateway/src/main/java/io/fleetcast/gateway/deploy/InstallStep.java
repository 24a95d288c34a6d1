package io.fleetcast.gateway.deploy;

/** The steps of one remote install, in order; each has its own timeout. */
public enum InstallStep {
  RESOLVE, CONNECT, LOGON, PREREQUISITES, COPY, INSTALL_SERVICE, START, WAIT_FOR_AGENT
}
